return Probing.Workbench.Cli.Run(args);
