using System.CommandLine;
using System.Runtime.CompilerServices;
using Probing.Workbench.Runs;

namespace Probing.Workbench.Commands;

/// <summary>
/// What a command will do, decided before it writes anything: the runs it will make (each with its
/// folder and identity; validation of every input happened while planning) and how to carry them out.
/// <c>workbench run</c> plans every cell of every spec this way, in process, before any cell starts.
/// </summary>
public sealed record CommandPlan(IReadOnlyList<RunPlan> Runs, Func<int> Execute)
{
    /// <summary>A command that writes no run folder (a report, an export): planned as its action alone.</summary>
    public static CommandPlan Action(Func<int> execute) => new([], execute);
}

/// <summary>Commands whose action is a <see cref="CommandPlan"/>: the plan is available without executing it.</summary>
public static class PlannedCommands
{
    static readonly ConditionalWeakTable<Command, Func<ParseResult, CommandPlan>> planners = new();

    /// <summary>Makes <paramref name="plan"/> the command's action: plan (validate everything), then execute.</summary>
    public static void SetPlanner(this Command command, Func<ParseResult, CommandPlan> plan)
    {
        planners.AddOrUpdate(command, plan);
        command.SetAction(parse => plan(parse).Execute());
    }

    /// <summary>The plan of a parsed command line, or null for a command that has no planner.</summary>
    public static CommandPlan? Plan(ParseResult parse) =>
        planners.TryGetValue(parse.CommandResult.Command, out var plan) ? plan(parse) : null;
}
