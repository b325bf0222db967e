// The experiment host: `./build.sh RunExperiment` runs this project's Release build with "run --name ...".
return Road.Pipeline.ExperimentHost.Main(args, Road.Examples.Generated.ExperimentRegistry.All);
