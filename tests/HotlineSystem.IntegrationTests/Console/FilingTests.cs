using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>Filing through the console's form, as a liaison officer does, and the counterpart's board.</summary>
public sealed class FilingTests(ConsoleBrowser console) : IClassFixture<ConsoleBrowser>
{
    [Fact]
    public async Task A_KR_officer_files_through_the_form_and_it_appears_on_the_CN_officers_open_board()
    {
        var cn = await console.SignedInAsync("cn-officer");
        await Expect(cn.GetByTestId("board")).ToBeVisibleAsync();
        var kr = await console.SignedInAsync("kr-officer");
        await kr.GetByTestId("nav-file").ClickAsync();
        var title = $"Form filing {Guid.NewGuid():N}"[..21];

        await Choices.ChooseAsync(kr, "field-type", "Customs hold");
        await Choices.ChooseAsync(kr, "field-severity", "Sev2 high");
        await kr.GetByTestId("field-title").FillAsync(title);
        await kr.GetByTestId("field-description").FillAsync("Two containers of NdFeB magnets held for additional papers.");
        await Choices.ChooseAsync(kr, "field-minerals", "Nd · Neodymium (60)");
        await Choices.CloseAsync(kr);
        await kr.GetByTestId("field-hs-search").FillAsync("8505");
        await kr.GetByRole(AriaRole.Option).Filter(new LocatorFilterOptions { HasText = "8505.11" }).First.ClickAsync();
        await Expect(kr.Locator(".mud-chip", new PageLocatorOptions { HasText = "8505.11" })).ToBeVisibleAsync();
        await kr.GetByTestId("field-quantity").FillAsync("12.5");
        await kr.GetByTestId("field-cover").FillAsync("18");
        await ConsoleBrowser.ScreenshotAsync(kr, "file-form-en");

        await kr.GetByTestId("file-submit").ClickAsync();

        await Expect(kr.Locator("h1")).ToHaveTextAsync(title, new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 });
        await Expect(kr.Locator("body")).ToContainTextAsync("8505.11");
        var row = cn.GetByTestId("board").Locator("tr", new LocatorLocatorOptions { HasText = title });
        await Expect(row).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15_000 });
    }

    [Fact]
    public async Task A_form_missing_what_the_server_requires_says_so_at_each_field()
    {
        var kr = await console.SignedInAsync("kr-officer");
        await kr.GotoAsync("/incidents/new");
        await Expect(kr.GetByTestId("file-submit")).ToBeVisibleAsync();

        await kr.GetByTestId("file-submit").ClickAsync();

        await Expect(kr.GetByTestId("file-refused")).ToBeVisibleAsync();
        await Expect(kr.GetByTestId("field-title")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(kr.GetByTestId("field-description")).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsoleBrowser.ScreenshotAsync(kr, "file-form-refused-en");
    }
}
