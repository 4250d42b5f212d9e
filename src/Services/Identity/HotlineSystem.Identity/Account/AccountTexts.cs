namespace HotlineSystem.Identity.Account;

/// <summary>The sign-in pages' texts (AccountTexts.resx, .ko.resx, .zh-Hans.resx), read through IStringLocalizer.</summary>
public sealed class AccountTexts;
