namespace Probing.Workbench.Reporting.Sections;

/// <summary>One part of a report: it draws its figures, tables and claims from the study's results, if it finds its kind of results there.</summary>
public interface IReportSection
{
    bool AppliesTo(StudyResults results);
    void Render(StudyResults results, Report report);
}
