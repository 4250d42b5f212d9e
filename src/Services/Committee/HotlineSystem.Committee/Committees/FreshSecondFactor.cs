using HotlineSystem.BuildingBlocks.Domain;

namespace HotlineSystem.Committee.Committees;

/// <summary>
/// Signing minutes and rotating a party's key need a second factor proved in the last minutes
/// (the token's <c>amr: mfa</c> and <c>auth_time</c>): a stolen session alone cannot sign.
/// </summary>
public static class FreshSecondFactor
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    // Clocks of the Identity server and this service may differ a little.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public static void Ensure(DateTimeOffset? secondFactorAt, DateTimeOffset now, string what)
    {
        if (secondFactorAt is null || now - secondFactorAt.Value > Window || secondFactorAt.Value > now + ClockSkew)
        {
            throw RuleViolation.Forbidden("second-factor-required",
                $"Sign in again with your second factor: {what} needs one of the last {Window.TotalMinutes:0} minutes.");
        }
    }
}
