using Probing.Training.Infrastructure;

namespace Probing.Training.Text;

/// <summary>Writes a plain <c>vocab.txt</c>: one piece a line, the line number (from 0) is the id.</summary>
public static class VocabularyFile
{
    public static void Write(string path, IEnumerable<string> pieces) =>
        AtomicFile.WriteAllText(path, string.Concat(pieces.Select(piece => piece + "\n")));
}
