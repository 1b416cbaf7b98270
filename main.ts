/**
 * The cdktf app: one AWS stack and one Helm stack per environment file.
 *   npm run synth                  every environment in environments/
 *   LAYER_ENV=dev npm run synth    only environments/dev.yaml
 */
import { App } from "cdktf";
import { loadEnvironments } from "./config/load";
import { ConfigError } from "./config/errors";
import { addEnvironment } from "./stacks/environment-stacks";

function main(): void {
  // Every file is validated before anything is synthesized, so bad input leaves no output.
  const environments = loadEnvironments(__dirname, process.env.LAYER_ENV || undefined);
  const app = new App({ skipValidation: false });
  for (const env of environments) addEnvironment(app, env);
  app.synth();
}

try {
  main();
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`Invalid configuration:\n${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
