import { Construct } from "constructs";
import { DataResource, ITerraformDependable } from "cdktf";

export interface ClusterDrainGateProps {
  /** What is being waited for, for the error message (`load balancers`, `Karpenter instances`). */
  readonly waitsFor: string;
  /**
   * AWS CLI commands that each print how many of those resources remain;
   * drained when they add up to 0. Run with the credentials terraform runs
   * with (docs/ci.md lists what the deploy role needs for them).
   */
  readonly countCommands: readonly string[];
  /** Created after these, so on destroy it runs before they are removed (the controllers). */
  readonly after: ITerraformDependable[];
  /** Seconds to wait before failing the destroy. @default 900 */
  readonly timeoutSeconds?: number;
  /** Seconds between checks. @default 10 */
  readonly intervalSeconds?: number;
}

/**
 * A no-op on create; on destroy it waits until the AWS resources a controller
 * still has to clean up are gone. Placed between a controller's release and
 * the releases that make it create AWS resources, it keeps `cdktf destroy`
 * from removing the Load Balancer Controller while ALBs are being deleted, or
 * Karpenter while its instances are terminating (which would strand them and
 * block VPC deletion).
 */
export class ClusterDrainGate extends Construct {
  readonly gate: DataResource;

  constructor(scope: Construct, id: string, props: ClusterDrainGateProps) {
    super(scope, id);
    if (props.countCommands.length === 0) throw new Error(`${id}: a drain gate needs at least one count command`);
    const timeout = props.timeoutSeconds ?? 900;
    const interval = Math.max(0, props.intervalSeconds ?? 10);
    const attempts = Math.max(1, Math.ceil(timeout / Math.max(1, interval)));
    this.gate = new DataResource(this, "default", {
      // A destroy-time provisioner may only read `self`: the commands travel in `input`.
      input: { waitsFor: props.waitsFor, countCommands: [...props.countCommands], attempts, interval },
      dependsOn: props.after,
      provisioners: [
        {
          type: "local-exec",
          when: "destroy",
          interpreter: ["/bin/sh", "-c"],
          command: [
            'i=0; while [ "$i" -lt ${self.input.attempts} ]; do',
            "  n=0;",
            // A failing command or an answer that is not a count fails the destroy rather than passing the gate.
            ...props.countCommands.map(
              (_, index) =>
                `  c=$(\${self.input.countCommands[${index}]}) || exit 1; ` +
                `case "$c" in ''|*[!0-9]*) echo "not a count: $c" >&2; exit 1;; esac; n=$((n + c));`,
            ),
            '  if [ "$n" = "0" ]; then exit 0; fi;',
            '  echo "waiting for $n ${self.input.waitsFor} to be deleted";',
            "  i=$((i+1)); sleep ${self.input.interval};",
            "done;",
            'echo "${self.input.waitsFor} still present after ' + timeout + ' s; delete them, then destroy again" >&2; exit 1',
          ].join(" "),
        },
      ],
    });
  }
}
