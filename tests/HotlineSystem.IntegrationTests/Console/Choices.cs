using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HotlineSystem.IntegrationTests.Console;

/// <summary>Choosing in the console's selects (MudBlazor) as a person does: open, pick, close.</summary>
public static class Choices
{
    public static async Task ChooseAsync(IPage page, string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        await page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = option, Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Closes a multiple choice's list and waits until it is gone: on a loaded machine the circuit
    /// closes it a moment later, and until then it catches the next click. An Escape that arrives
    /// while the list is still being drawn after the last pick can be lost: then it is pressed again,
    /// as a person would.
    /// </summary>
    public static async Task CloseAsync(IPage page)
    {
        var open = page.Locator(".mud-popover-open");
        for (var attempt = 1; ; attempt++)
        {
            await page.Keyboard.PressAsync("Escape");
            try
            {
                await Expect(open).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
    }
}
