using Probing.Workbench.Runs;

namespace Probing.Workbench.Experiments;

/// <summary>One <c>workbench run</c> per study folder at a time: the study folder's <see cref="RunLock"/>.</summary>
public static class StudyLock
{
    public const string FileName = RunLock.FileName;

    public static RunLock Acquire(string studyDirectory) => RunLock.Acquire(studyDirectory, "study");
}
