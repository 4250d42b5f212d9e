namespace HotlineSystem.Benchmark;

/// <summary>Nearest-rank percentiles of a set of latencies in milliseconds.</summary>
public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static readonly Percentiles None = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return None;
        }

        Array.Sort(sorted);
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }
}
