using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;
using Tensorboard;

namespace Probing.Training.Infrastructure;

/// <summary>The scalars logged at one training step, and when (Unix seconds).</summary>
public sealed record EventStep(int Step, double WallTime, IReadOnlyList<(string Tag, double Value)> Values);

/// <summary>
/// A run's TensorBoard event file, <c>events.out.tfevents.workbench</c> beside its CSV logs
/// (<c>tensorboard --logdir results/</c> shows every run): TFRecord framing (length, masked CRC-32C of
/// the length, an <c>Event</c> protobuf, masked CRC-32C of it), a <c>brain.Event:2</c> header, then one
/// event per step with its scalars as <c>simple_value</c>s. The loops append the steps of each
/// checkpoint as they write the CSVs.
/// <para>
/// The name is fixed, so a resumed run continues its one file: <see cref="Open"/> cuts it back to the
/// step the run resumes from, dropping what a killed process wrote after its last checkpoint and any
/// torn record, so no step is doubled or lost. The file is derived data: one that cannot be read is
/// started anew rather than failing the run.
/// </para>
/// TorchSharp's <c>SummaryWriter</c> is not used: it takes the wall time as a float (0 by default, or
/// .NET ticks), opens a new file named after time and PID in every process (a resumed run would show the
/// steps between checkpoint and kill twice) and cannot cut a file back. Its generated <c>Event</c> and
/// <c>Summary</c> messages are used for the payload.
/// </summary>
public sealed class TensorBoardEvents
{
    public const string FileName = "events.out.tfevents.workbench";
    const string FileVersion = "brain.Event:2";

    readonly string path;

    TensorBoardEvents(string path) => this.path = path;

    /// <summary>
    /// The run's event file for a training that continues after <paramref name="resumedStep"/> (0: from the start):
    /// valid events up to that step are kept, everything after them is cut off.
    /// </summary>
    public static TensorBoardEvents Open(string runDirectory, int resumedStep)
    {
        Directory.CreateDirectory(runDirectory);
        var events = new TensorBoardEvents(Path.Combine(runDirectory, FileName));
        using var stream = new FileStream(events.path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        long keep = 0;
        var headerKept = false;
        foreach (var (end, record) in ReadRecords(stream))
        {
            if (record.Step > resumedStep || (!headerKept && record.FileVersion != FileVersion)) break;
            headerKept = true;
            keep = end;
        }
        stream.SetLength(keep);
        if (!headerKept) Write(stream, new Event { WallTime = Now(), FileVersion = FileVersion });
        stream.Flush(flushToDisk: true);
        return events;
    }

    /// <summary>Appends the steps, in order, and flushes them to disk (called before the checkpoint that covers them is saved).</summary>
    public void Append(IEnumerable<EventStep> steps)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        foreach (var step in steps)
        {
            var summary = new Summary();
            foreach (var (tag, value) in step.Values) summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
            Write(stream, new Event { WallTime = step.WallTime, Step = step.Step, Summary = summary });
        }
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Now, in Unix seconds.</summary>
    public static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>The records of a TFRecord stream with the offset where each ends; stops at the first torn or corrupt one.</summary>
    static IEnumerable<(long End, Event Record)> ReadRecords(Stream stream)
    {
        var header = new byte[12];
        var footer = new byte[4];
        while (true)
        {
            if (stream.ReadAtLeast(header, 12, throwOnEndOfStream: false) < 12) yield break;
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            if (MaskedCrc(header.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)) || length > (ulong)(stream.Length - stream.Position)) yield break;
            var data = new byte[length];
            if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length) yield break;
            if (stream.ReadAtLeast(footer, 4, throwOnEndOfStream: false) < 4 || MaskedCrc(data) != BinaryPrimitives.ReadUInt32LittleEndian(footer)) yield break;
            Event record;
            try { record = Event.Parser.ParseFrom(data); }
            catch (InvalidProtocolBufferException) { yield break; }
            yield return (stream.Position, record);
        }
    }

    static void Write(Stream stream, Event record)
    {
        var data = record.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>TFRecord's checksum: CRC-32C (Castagnoli), rotated right by 15 bits plus a constant.</summary>
    static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
    }
}
