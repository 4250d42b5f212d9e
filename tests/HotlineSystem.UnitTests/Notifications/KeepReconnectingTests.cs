using HotlineSystem.Notifications.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace HotlineSystem.UnitTests.Notifications;

public sealed class KeepReconnectingTests
{
    private readonly KeepReconnecting _policy = new();

    [Fact]
    public void The_first_attempt_is_immediate_and_the_next_ones_back_off()
    {
        var delays = Enumerable.Range(0, 4).Select(count => _policy.NextRetryDelay(Attempt(count, TimeSpan.FromSeconds(count * 5))));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)], delays);
    }

    [Theory]
    [InlineData(4, 20)]
    [InlineData(5, 60)]
    [InlineData(100, 3_600)]
    [InlineData(10_000, 86_400 * 3)]
    public void It_never_gives_up_however_long_the_line_has_been_down(int previousAttempts, int secondsDown)
    {
        var delay = _policy.NextRetryDelay(Attempt(previousAttempts, TimeSpan.FromSeconds(secondsDown)));

        Assert.NotNull(delay);
        Assert.InRange(delay.Value, KeepReconnecting.MaxDelay, KeepReconnecting.MaxDelay + KeepReconnecting.MaxJitter);
    }

    private static RetryContext Attempt(int previousAttempts, TimeSpan elapsed) =>
        new() { PreviousRetryCount = previousAttempts, ElapsedTime = elapsed, RetryReason = new IOException("connection reset") };
}
