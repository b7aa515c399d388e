using System.CommandLine;
using CsvHelper;
using Probing.Training.Checkpoints;
using Probing.Training.Data;
using Probing.Training.FineTuning;
using Probing.Training.Infrastructure;
using Probing.Training.Model;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary>One dev metric of one model (a member, the voted or the averaged ensemble): long format, a row per metric; <see cref="Primary"/> marks the task's primary one.</summary>
[CsvRecord]
public partial record EnsembleRow(string Model, string Split, string Metric, double Value, bool Primary);

/// <summary><c>workbench ensemble</c>: the voted and the parameter-averaged ensemble of K fine-tuned runs, scored on dev.</summary>
public static class EnsembleCommand
{
    public static Command Create()
    {
        var runs = new Option<string[]>("--runs") { Description = "Fine-tuned run folders (their best/ is used) or fine-tuned model folders", Required = true, AllowMultipleArgumentsPerToken = true };
        var which = new Option<string>("--checkpoint") { Description = "Which model of each run: best or last", DefaultValueFactory = _ => FineTuner.BestFolder };
        which.AcceptOnlyFromAmong(FineTuner.BestFolder, FineTuner.LastFolder);
        var output = new Option<string>("--out") { Description = "CSV to write (a JSON with the same rows is written beside it)", DefaultValueFactory = _ => Path.Combine("results", "ensemble", "ensemble.csv") };
        var dataDir = new TaskOptions().DataDir;
        var command = new Command("ensemble", "Voted (summed probabilities) and parameter-averaged ensembles of fine-tuned runs, evaluated on dev")
        {
            runs, which, output, dataDir,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var folders = parse.GetValue(runs)!.Select(r => FineTunedModel.HasHead(r) ? r : Path.Combine(r, parse.GetValue(which)!)).ToList();
            foreach (var folder in folders)
                if (!FineTunedModel.HasHead(folder)) throw InputError.InFile(Path.Combine(folder, HeadInfo.FileName), "not a fine-tuned model folder (no head.json)");
            var task = TaskCatalog.Load(FineTunedModel.ReadHead(folders[0]).Task, parse.GetValue(dataDir));
            var rows = Evaluate(folders, task);
            foreach (var row in rows.Where(r => r.Primary)) AnsiConsole.MarkupLine(Markup.Escape(FormattableString.Invariant($"{row.Model}: dev {row.Metric} {row.Value:F4}")));
            var path = parse.GetValue(output)!;
            CsvTable.Write(path, rows);
            Json.Write(Path.ChangeExtension(path, ".json"), rows);
            AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(path)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>Each member, the voted ensemble and the averaged model on the task's dev split.</summary>
    public static List<EnsembleRow> Evaluate(IReadOnlyList<string> folders, TaskData task)
    {
        var tokenizer = ModelFolder.Resolve(folders[0]).LoadTokenizer();
        var members = folders.Select(f => FineTunedModel.Load(f, task.Spec)).ToList();
        try
        {
            var maxLength = members[0].Config.MaxPositionEmbeddings;
            var dev = new EncodedExamples(task.Dev, task.Spec, tokenizer, maxLength);
            var rows = new List<EnsembleRow>();
            var logits = new List<TorchSharp.torch.Tensor>();
            for (int i = 0; i < members.Count; i++)
            {
                logits.Add(Evaluator.Logits(members[i], dev, 64));
                rows.AddRange(Rows(folders[i], Evaluator.Score(logits[^1], task.Spec, task.Dev)));
            }
            using (var voted = Ensembles.Vote(logits)) rows.AddRange(Rows($"voted ({members.Count})", Evaluator.Score(voted, task.Spec, task.Dev)));
            using (var averaged = Ensembles.AverageParameters(members)) rows.AddRange(Rows($"averaged ({members.Count})", Evaluator.Evaluate(averaged, dev, task.Spec, task.Dev, 64)));
            foreach (var l in logits) l.Dispose();
            return rows;
        }
        finally
        {
            foreach (var member in members) member.Dispose();
        }
    }

    static IEnumerable<EnsembleRow> Rows(string model, TaskScore score) =>
        score.Values.Select(v => new EnsembleRow(model, "dev", TaskScore.Name(v.Key), v.Value, v.Key == score.PrimaryMetric));
}
