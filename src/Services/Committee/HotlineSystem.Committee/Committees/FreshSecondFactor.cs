using System.Globalization;
using HotlineSystem.BuildingBlocks.Domain;

namespace HotlineSystem.Committee.Committees;

/// <summary>
/// Signing minutes and rotating a party's key need a second factor proved in the last minutes
/// (the token's <c>amr: mfa</c> and <c>auth_time</c>): a stolen session alone cannot sign. A node may
/// ask for a fresher one (Committee:Signing:SecondFactorWindow), never for an older one.
/// </summary>
public static class FreshSecondFactor
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    // Clocks of the Identity server and this service may differ a little.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <param name="window">The node's own window, when it asks for a fresher factor than <see cref="Window"/>.</param>
    public static void Ensure(DateTimeOffset? secondFactorAt, DateTimeOffset now, string what, TimeSpan? window = null)
    {
        var within = window is { } asked && asked < Window ? asked : Window;
        if (secondFactorAt is null || now - secondFactorAt.Value > within || secondFactorAt.Value > now + ClockSkew)
        {
            var last = within < TimeSpan.FromMinutes(1)
                ? string.Create(CultureInfo.InvariantCulture, $"{within.TotalSeconds:0} seconds")
                : string.Create(CultureInfo.InvariantCulture, $"{within.TotalMinutes:0.#} minutes");
            throw RuleViolation.Forbidden("second-factor-required", $"Sign in again with your second factor: {what} needs one of the last {last}.");
        }
    }
}
