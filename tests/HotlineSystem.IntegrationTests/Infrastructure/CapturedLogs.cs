using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HotlineSystem.IntegrationTests.Infrastructure;

/// <summary>What a host logged, kept for a test to read: category, level, message and exception of each entry.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name})")}";
    }

    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <summary>Entries at <paramref name="level"/> or above.</summary>
    public IReadOnlyList<Entry> AtLeast(LogLevel level) => Entries.Where(e => e.Level >= level).ToList();

    public void Clear() => _entries.Clear();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
