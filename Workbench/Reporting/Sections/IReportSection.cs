namespace Probing.Workbench.Reporting.Sections;

/// <summary>
/// One part of a report: it draws its figures and tables and states its measurements (what claims are
/// made from) from the study's results, if it finds its kind of results there. <paramref name="guard"/>
/// says which fine-tuned runs did not learn their task, so values resting on them are flagged.
/// </summary>
public interface IReportSection
{
    bool AppliesTo(StudyResults results);
    void Render(StudyResults results, LearnedTaskGuard guard, Report report);
}
