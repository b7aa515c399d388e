using System.CommandLine;
using Probing.Training.Checkpoints;
using Probing.Training.FineTuning;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench export</c>: a model folder (encoder, fine-tuned classifier or BART seq2seq; or a fine-tuning run) as a Hugging Face folder that transformers (and the workbench) can read.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model")
        {
            Description = "A model folder (base or fine-tuned, workbench or Hugging Face) or a fine-tuning run folder (its best/); default: the shipped base",
        };
        var output = new Option<string>("--out") { Description = "New Hugging Face folder (config.json, model.safetensors, tokenizer files)", Required = true };
        var encoderOnly = new Option<bool>("--encoder-only") { Description = "Export a fine-tuned model's encoder alone (BertModel/RobertaModel), without its classification head" };
        var command = new Command("export", "Write an encoder as a Hugging Face BertModel/RobertaModel folder, a fine-tuned one as Bert/RobertaForSequenceClassification, a seq2seq model as BartForConditionalGeneration")
        {
            model, output, encoderOnly,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var source = ModelFolder.Resolve(parse.GetValue(model) is { } given ? FineTunedModel.ModelOrRunBest(given) : null);
            var head = FineTunedModel.HasHead(source.Path) && !parse.GetValue(encoderOnly) ? FineTunedModel.ExportHead(source.Path) : null;
            var wrote = HfExport.Write(source, parse.GetValue(output)!, head);
            var what = source.IsSeq2Seq ? "BART seq2seq model" : head is null ? "encoder" : $"{source.ModelType} sequence classifier ({(head.IsRegression ? "regression" : string.Join(", ", head.Labels))})";
            AnsiConsole.MarkupLine($"{(wrote ? "wrote" : "already there, unchanged:")} [bold]{Markup.Escape(parse.GetValue(output)!)}[/] ({Markup.Escape(what)} from {Markup.Escape(source.Path)})");
            return 0;
        });
        return command;
    }
}
