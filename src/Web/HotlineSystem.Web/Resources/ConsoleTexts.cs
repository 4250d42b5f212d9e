namespace HotlineSystem.Web.Resources;

/// <summary>The console's texts (ConsoleTexts.resx, .ko.resx, .zh-Hans.resx, generated from texts.tsv).</summary>
public sealed class ConsoleTexts;
