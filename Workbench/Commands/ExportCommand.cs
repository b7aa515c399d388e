using System.CommandLine;
using Probing.Training.Checkpoints;
using Spectre.Console;

namespace Probing.Workbench.Commands;

/// <summary><c>workbench export</c>: a model folder (encoder or BART seq2seq) as a Hugging Face folder that transformers (and the workbench) can read.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var output = new Option<string>("--out") { Description = "New Hugging Face folder (config.json, model.safetensors, tokenizer files)", Required = true };
        var command = new Command("export", "Write a model folder as a Hugging Face folder: an encoder as BertModel/RobertaModel, a seq2seq model as BartForConditionalGeneration") { model, output };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyRuntime(parse);
            var wrote = HfExport.Write(ModelFolder.Resolve(parse.GetValue(model)), parse.GetValue(output)!);
            AnsiConsole.MarkupLine($"{(wrote ? "wrote" : "already there, unchanged:")} [bold]{Markup.Escape(parse.GetValue(output)!)}[/]");
            return 0;
        });
        return command;
    }
}
