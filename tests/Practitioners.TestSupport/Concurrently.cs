namespace Practitioners.TestSupport;

/// <summary>Calls made at the same moment, for the tests of read-then-write races.</summary>
public static class Concurrently
{
    /// <summary>
    /// Starts <paramref name="count"/> calls on thread-pool threads, each waiting at one gate, then opens the gate so they all
    /// go at once (not one after another as a loop of awaits would).
    /// </summary>
    public static async Task<T[]> RunAsync<T>(int count, Func<int, Task<T>> call)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await gate.Task;
            return await call(i);
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(calls);
    }
}
