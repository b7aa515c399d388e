using System.Diagnostics;
using Probing.Training.Infrastructure;
using Spectre.Console;

namespace Probing.Workbench.Terminal;

/// <summary>
/// Shows training progress: a live Spectre.Console bar (step, loss, ETA) on a terminal, and a plain
/// line every few seconds when the output is redirected (CI, log files).
/// </summary>
public static class ConsoleProgress
{
    public static T Run<T>(string title, Func<ITrainingProgress, T> work)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            return AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(context => work(new BarProgress(context.AddTask(Markup.Escape(title)))));
        }
        return work(new LineProgress());
    }

    sealed class BarProgress(ProgressTask task) : ITrainingProgress
    {
        public void Report(TrainingStatus status)
        {
            task.MaxValue = status.TotalSteps;
            task.Value = status.Step;
            task.Description = Markup.Escape($"{status.Phase} {status.Step}/{status.TotalSteps} loss {status.Loss:F4}");
        }

        public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    sealed class LineProgress : ITrainingProgress
    {
        static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
        readonly Stopwatch sinceLastLine = Stopwatch.StartNew();

        public void Report(TrainingStatus status)
        {
            var last = status.Step == status.TotalSteps;
            if (!last && status.Step != 1 && sinceLastLine.Elapsed < Interval) return;
            sinceLastLine.Restart();
            var eta = status.Step > 0 ? TimeSpan.FromSeconds(status.Elapsed.TotalSeconds / status.Step * (status.TotalSteps - status.Step)) : TimeSpan.Zero;
            Console.WriteLine(FormattableString.Invariant(
                $"{status.Phase} step {status.Step}/{status.TotalSteps} loss {status.Loss:F4} lr {status.LearningRate:E2} elapsed {status.Elapsed:hh\\:mm\\:ss} eta {eta:hh\\:mm\\:ss}"));
        }

        public void Message(string text) => Console.WriteLine(text);
    }
}
