import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { NVME_LINK, NVME_MOUNT, SYSTEM_NODE_SCRIPT } from "../../constructs/system-node-group";
import { describeWithReference } from "../helpers/reference";
import { MINIMAL_ENVIRONMENT, environmentFromYaml, synthEnvironment, synthExample } from "../helpers/synth";
import { asList, block, onlyResource, parsePolicy, resourcesOfType } from "../helpers/terraform-json";

const dev = synthExample("dev").aws!;
const prod = synthExample("prod").aws!;
const nodeGroup = (stack = dev) => onlyResource(stack, "aws_eks_node_group");
const launchTemplate = (stack = dev) => onlyResource(stack, "aws_launch_template");
const synthYaml = (extra: string) => synthEnvironment(environmentFromYaml(`${MINIMAL_ENVIRONMENT}${extra}`)).aws!;

/** Splits MIME multipart user data into its parts' content types and bodies. */
function mimeParts(userData: string): Array<{ contentType: string; body: string }> {
  const boundary = /boundary="([^"]+)"/.exec(userData)?.[1];
  if (!boundary) throw new Error("user data is not MIME multipart");
  expect(userData).toMatch(/^MIME-Version: 1\.0\nContent-Type: multipart\/mixed;/);
  expect(userData).toContain(`\n--${boundary}--`);
  return userData
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const [headers, ...body] = part.replace(/^\n/, "").split("\n\n");
      return { contentType: /Content-Type: (\S+)/.exec(headers)![1], body: body.join("\n\n") };
    });
}

describe("system node group", () => {
  test("AL2023 x86_64, i4i.large on demand, 1/1/2, label node-role=system, in the worker subnets of every zone (EKS-10)", () => {
    const ng = nodeGroup();
    expect(ng).toMatchObject({
      ami_type: "AL2023_x86_64_STANDARD",
      instance_types: ["i4i.large"],
      capacity_type: "ON_DEMAND",
      labels: { "layer.hev.dev/node-role": "system" },
      cluster_name: "${aws_eks_cluster.eks_cluster.name}",
      version: "${aws_eks_cluster.eks_cluster.version}",
    });
    expect(block<any>(ng.scaling_config)).toEqual({ min_size: 1, desired_size: 1, max_size: 2 });
    expect(ng.subnet_ids).toEqual(["${aws_subnet.network_public_us_east_1a.id}", "${aws_subnet.network_public_us_east_1b.id}"]);
    expect(nodeGroup(prod).subnet_ids).toHaveLength(3);
    expect(block<any>(nodeGroup(prod).scaling_config)).toEqual({ min_size: 2, desired_size: 2, max_size: 3 });
  });

  test("desired size is only the initial size, and updates replace one node at a time", () => {
    expect(nodeGroup().lifecycle.ignore_changes).toEqual(["scaling_config[0].desired_size"]);
    expect(block<any>(nodeGroup().update_config)).toEqual({ max_unavailable: 1 });
  });

  test("nodes carry only the EKS cluster security group: no extra groups, so nothing admits the internet (NET-03)", () => {
    expect(launchTemplate().vpc_security_group_ids).toBeUndefined();
    expect(launchTemplate().security_group_names).toBeUndefined();
    expect(block<any>(onlyResource(dev, "aws_eks_cluster").vpc_config).security_group_ids).toBeUndefined();
  });

  test("no SSH: no remote_access and no key pair (EKS-09)", () => {
    expect(nodeGroup().remote_access).toBeUndefined();
    expect(launchTemplate().key_name).toBeUndefined();
  });

  test("launch template: IMDSv2 required, endpoint enabled, hop limit explicitly 1 (EKS-11, EKS-12)", () => {
    expect(block<any>(launchTemplate().metadata_options)).toMatchObject({
      http_tokens: "required",
      http_endpoint: "enabled",
      http_put_response_hop_limit: 1,
    });
    expect(block<any>(nodeGroup().launch_template)).toEqual({
      id: "${aws_launch_template.system_node_group_launch_template.id}",
      version: "${aws_launch_template.system_node_group_launch_template.latest_version}",
    });
  });

  test("launch template: encrypted gp3 root volume, no public-IP override (EKS-13, EKS-14)", () => {
    const lt = launchTemplate();
    const [root] = asList<any>(lt.block_device_mappings);
    expect(root.device_name).toBe("/dev/xvda");
    expect(block<any>(root.ebs)).toMatchObject({ encrypted: "true", volume_type: "gp3", volume_size: 50 });
    expect(lt.network_interfaces).toBeUndefined();
    expect(JSON.stringify(lt)).not.toMatch(/associate_public_ip_address/);
    expect(block<any>(launchTemplate(synthYaml("cluster:\n  systemNodeGroup:\n    rootVolumeGiB: 80\n")).block_device_mappings).ebs).toMatchObject({
      volume_size: 80,
    });
  });

  test("tainted layer.hev.dev/node-role=system:NoSchedule like the product's own install, keeping the label the chart selects", () => {
    expect(asList<any>(nodeGroup().taint)).toEqual([{ key: "layer.hev.dev/node-role", value: "system", effect: "NO_SCHEDULE" }]);
    expect(nodeGroup().labels).toEqual({ "layer.hev.dev/node-role": "system" });
  });

  test("instances and volumes carry the environment's tags, with the cost-allocation tag (default tags stop at the launch template)", () => {
    const specs = asList<any>(launchTemplate().tag_specifications);
    expect(specs.map((s) => s.resource_type)).toEqual(["instance", "volume"]);
    for (const spec of specs) {
      expect(spec.tags).toMatchObject({ Name: "${aws_eks_cluster.eks_cluster.name}-system", "hev.dev/product": "layer", "hev.dev/environment": "dev" });
    }
    const prodSpec = asList<any>(launchTemplate(prod).tag_specifications)[0];
    expect(prodSpec.tags).toMatchObject({ "cost-center": "search-platform", "hev.dev/environment": "prod" });
  });

  test("user data is MIME multipart: the nodeadm NodeConfig that puts the NVMe instance store in RAID0, then the /mnt/nvme link, with no secrets (EKS-13)", () => {
    const userData = Buffer.from(launchTemplate().user_data, "base64").toString("utf8");
    const parts = mimeParts(userData);
    expect(parts.map((p) => p.contentType)).toEqual(["application/node.eks.aws", "text/x-shellscript;"]);
    const nodeConfig = parseYaml(parts[0].body);
    expect(nodeConfig).toEqual({
      apiVersion: "node.eks.aws/v1alpha1",
      kind: "NodeConfig",
      spec: { instance: { localStorage: { strategy: "RAID0" } } },
    });
    expect(parts[1].body).toMatch(/^#!\/bin\/bash\n/);
    expect(parts[1].body.trim()).toBe(SYSTEM_NODE_SCRIPT.trim());
    expect(userData).not.toMatch(/AKIA|aws_secret|secret_key|password|token/i);
  });

  test("Python's email parser (what cloud-init splits user data with) sees the same two parts", () => {
    const userData = Buffer.from(launchTemplate().user_data, "base64").toString("utf8");
    const script =
      "import email,json,sys\nm=email.message_from_string(sys.stdin.read())\nprint(json.dumps([m.is_multipart()]+[[p.get_content_type(),p.get_payload()] for p in m.get_payload()]))";
    const run = spawnSync("python3", ["-c", script], { input: userData, encoding: "utf8" });
    if (run.error) {
      process.stderr.write(`SKIP MIME check with Python: ${run.error.message}\n`);
      return;
    }
    const [multipart, nodeConfig, shell] = JSON.parse(run.stdout);
    expect(multipart).toBe(true);
    expect(nodeConfig[0]).toBe("application/node.eks.aws");
    expect(parseYaml(nodeConfig[1]).spec.instance.localStorage.strategy).toBe("RAID0");
    expect(shell).toEqual(["text/x-shellscript", expect.stringContaining(`ln -sfnT ${NVME_MOUNT} ${NVME_LINK}`)]);
  });

  describe("the shell part, run against a scratch root", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "layer-node-script-"));
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
    const run = (dir: string) => {
      const script = SYSTEM_NODE_SCRIPT.split("/mnt/").join(`${dir}/mnt/`);
      expect(script).not.toBe(SYSTEM_NODE_SCRIPT);
      return spawnSync("bash", ["-c", script], { encoding: "utf8" });
    };

    test("links /mnt/nvme to the RAID0 mount, so a file under /mnt/nvme lands on the array; a second run changes nothing", () => {
      const dir = path.join(root, "fresh");
      fs.mkdirSync(dir);
      expect(run(dir).status).toBe(0);
      expect(fs.readlinkSync(`${dir}${NVME_LINK}`)).toBe(`${dir}${NVME_MOUNT}`);
      fs.mkdirSync(`${dir}${NVME_LINK}/layer-vmsingle`);
      expect(fs.existsSync(`${dir}${NVME_MOUNT}/layer-vmsingle`)).toBe(true);
      expect(run(dir).status).toBe(0);
      expect(fs.readlinkSync(`${dir}${NVME_LINK}`)).toBe(`${dir}${NVME_MOUNT}`);
    });

    test("fails, instead of nesting a link, when /mnt/nvme is already a directory", () => {
      const dir = path.join(root, "taken");
      fs.mkdirSync(`${dir}${NVME_LINK}`, { recursive: true });
      fs.writeFileSync(`${dir}${NVME_LINK}/keep`, "");
      expect(run(dir).status).not.toBe(0);
      expect(fs.readdirSync(`${dir}${NVME_LINK}`)).toEqual(["keep"]);
    });
  });

  describeWithReference("every hostPath of the product chart is on the NVMe array", "charts/hev-layer-0.1.0", (chart) => {
    test("each /mnt path in the chart's templates and values is under the RAID0 mount or the /mnt/nvme link", () => {
      const files = [path.join(chart, "values.yaml"), ...fs.readdirSync(path.join(chart, "templates")).map((f) => path.join(chart, "templates", f))];
      const paths = new Set(files.flatMap((f) => fs.readFileSync(f, "utf8").match(/\/mnt\/[A-Za-z0-9/_.-]+/g) ?? []));
      // The chart hard-codes /mnt/nvme/layer-vmsingle in templates, so values alone cannot move it.
      expect([...paths]).toContain("/mnt/nvme/layer-vmsingle");
      const outside = [...paths].filter((p) => !p.startsWith(`${NVME_MOUNT}/`) && !p.startsWith(`${NVME_LINK}/`));
      expect(outside).toEqual([]);
    });
  });

  test("node role: only worker, ECR pull-only and SSM core; the CNI policy lives on aws-node's IRSA role (IAM-14)", () => {
    const role = resourcesOfType(dev, "aws_iam_role").system_node_group_role;
    expect(role.name).toBe("layer-dev-system-node");
    expect(parsePolicy(role.assume_role_policy).Statement).toEqual([
      expect.objectContaining({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
    ]);
    const attached = (stack: any) =>
      Object.values<any>(resourcesOfType(stack, "aws_iam_role_policy_attachment"))
        .filter((a) => a.role === "${aws_iam_role.system_node_group_role.name}")
        .map((a) => a.policy_arn)
        .sort();
    expect(attached(dev)).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
    expect(attached(synthYaml("cluster:\n  systemNodeGroup:\n    ssmAccess: false\n"))).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]);
    expect(resourcesOfType(dev, "aws_iam_role_policy")).toEqual({});
    expect(nodeGroup().depends_on).toEqual(expect.arrayContaining(["aws_iam_role_policy_attachment.system_node_group_role_worker_node_policy"]));
  });

  test("instance type and sizes come from the environment file", () => {
    const ng = nodeGroup(synthYaml("cluster:\n  systemNodeGroup:\n    instanceType: i4i.xlarge\n    minSize: 2\n    desiredSize: 3\n    maxSize: 4\n"));
    expect(ng.instance_types).toEqual(["i4i.xlarge"]);
    expect(block<any>(ng.scaling_config)).toEqual({ min_size: 2, desired_size: 3, max_size: 4 });
  });
});
