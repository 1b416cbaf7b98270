import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { planSubnets } from "../config/subnet-plan";
import { EncryptedLogGroup } from "./encrypted-log-group";
import { PolicyDocument, policyDocument, renderPolicy } from "./iam-document";

export type WorkerSubnets = "public" | "private";
export type NatGateways = "none" | "single" | "one-per-az";

export interface NetworkProps {
  /** Names the VPC and tags worker subnets `karpenter.sh/discovery=<clusterName>`. */
  readonly clusterName: string;
  readonly availabilityZones: readonly string[];
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly dnsSuffix: string;
  /** @default "10.42.0.0/16" */
  readonly vpcCidr?: string;
  /** Where worker nodes run. @default "public" (install guide: no NAT cost) */
  readonly workerSubnets?: WorkerSubnets;
  /** @default "none" for public worker subnets, "single" for private ones */
  readonly natGateways?: NatGateways;
  /** Interface endpoint services, e.g. `ecr.api`. @default [] */
  readonly interfaceEndpoints?: readonly string[];
  /** VPC flow logs to a KMS-encrypted log group. @default off */
  readonly flowLogs?: { readonly enabled: boolean; readonly retentionDays: number };
  /** Adds `prevent_destroy` to the flow-log group and its key. @default false */
  readonly protected?: boolean;
}

/**
 * The environment's VPC: one public subnet per zone (and one private subnet
 * per zone when workers are private), an internet gateway, optional NAT, the
 * S3 gateway endpoint, opt-in interface endpoints and flow logs.
 *
 * Public worker subnets are a deliberate deviation from security-bar NET-06
 * (CKV_AWS_130) and NET-05 (CKV_AWS_382): the install guide runs nodes in
 * public subnets so a design-partner cluster pays no NAT gateway hours or
 * per-GB NAT processing for the vector-store and image traffic. It is
 * compensated by NET-03: no security group in this project opens ingress to
 * 0.0.0.0/0; nodes only sit in the EKS cluster security group, which admits
 * traffic from itself alone. See docs/network.md.
 */
export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[] = [];
  readonly privateSubnets: Subnet[] = [];
  /** Subnets nodes, Karpenter pools and EFS mount targets use. */
  readonly workerSubnets: Subnet[];
  readonly workerSubnetIds: string[];
  readonly defaultSecurityGroup: DefaultSecurityGroup;
  readonly endpointSecurityGroup?: SecurityGroup;
  readonly flowLogGroup?: EncryptedLogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const vpcCidr = props.vpcCidr ?? "10.42.0.0/16";
    const workerSubnets = props.workerSubnets ?? "public";
    const nat = props.natGateways ?? (workerSubnets === "private" ? "single" : "none");
    if (workerSubnets === "public" && nat !== "none") {
      throw new Error(`Network ${props.clusterName}: natGateways "${nat}" contradicts workerSubnets "public" (public workers use the internet gateway)`);
    }
    if (workerSubnets === "private" && nat === "none") {
      throw new Error(`Network ${props.clusterName}: workerSubnets "private" needs natGateways "single" or "one-per-az"`);
    }
    const plan = planSubnets(vpcCidr, props.availabilityZones.length);
    if (typeof plan === "string") throw new Error(`Network ${props.clusterName}: vpcCidr ${vpcCidr}: expected ${plan}`);
    const discovery = { "karpenter.sh/discovery": props.clusterName };

    this.vpc = new Vpc(this, "default", {
      cidrBlock: vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.clusterName },
    });
    // Adopted and emptied: nothing may rely on the default group (NET-02).
    this.defaultSecurityGroup = new DefaultSecurityGroup(this, "default_security_group", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: `${props.clusterName}-default-unused` },
    });
    const internetGateway = new InternetGateway(this, "internet_gateway", {
      vpcId: this.vpc.id,
      tags: { Name: props.clusterName },
    });

    const publicRouteTable = new RouteTable(this, "public_route_table", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.clusterName}-public` },
    });
    new Route(this, "public_internet_route", {
      routeTableId: publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });
    const routeTableIds = [publicRouteTable.id];

    // Subnets are keyed by zone, never by list index: adding a zone adds
    // subnets without renumbering (or replacing) existing ones.
    props.availabilityZones.forEach((az, i) => {
      const subnet = new Subnet(this, `public_${az}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: plan.public[i],
        // NET-06 deviation (public worker subnets, see the class comment).
        mapPublicIpOnLaunch: workerSubnets === "public",
        tags: {
          Name: `${props.clusterName}-public-${az}`,
          "kubernetes.io/role/elb": "1",
          ...(workerSubnets === "public" ? discovery : {}),
        },
      });
      new RouteTableAssociation(this, `public_${az}_route_table_association`, { subnetId: subnet.id, routeTableId: publicRouteTable.id });
      this.publicSubnets.push(subnet);
    });

    if (workerSubnets === "private") {
      const natGatewayIds: string[] = [];
      const natZones = nat === "one-per-az" ? props.availabilityZones : props.availabilityZones.slice(0, 1);
      natZones.forEach((az, i) => {
        const eip = new Eip(this, `nat_${az}_eip`, { domain: "vpc", tags: { Name: `${props.clusterName}-nat-${az}` } });
        const gateway = new NatGateway(this, `nat_${az}`, {
          allocationId: eip.allocationId,
          subnetId: this.publicSubnets[i].id,
          tags: { Name: `${props.clusterName}-${az}` },
          dependsOn: [internetGateway],
        });
        natGatewayIds.push(gateway.id);
      });
      props.availabilityZones.forEach((az, i) => {
        const subnet = new Subnet(this, `private_${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: plan.private[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.clusterName}-private-${az}`, "kubernetes.io/role/internal-elb": "1", ...discovery },
        });
        const routeTable = new RouteTable(this, `private_${az}_route_table`, {
          vpcId: this.vpc.id,
          tags: { Name: `${props.clusterName}-private-${az}` },
        });
        new Route(this, `private_${az}_nat_route`, {
          routeTableId: routeTable.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: natGatewayIds[nat === "one-per-az" ? i : 0],
        });
        new RouteTableAssociation(this, `private_${az}_route_table_association`, { subnetId: subnet.id, routeTableId: routeTable.id });
        routeTableIds.push(routeTable.id);
        this.privateSubnets.push(subnet);
      });
    }
    this.workerSubnets = workerSubnets === "public" ? this.publicSubnets : this.privateSubnets;
    this.workerSubnetIds = this.workerSubnets.map((s) => s.id);

    // Free, and keeps the gateway's snapshot traffic off NAT and the internet.
    new VpcEndpoint(this, "s3_endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds,
      tags: { Name: `${props.clusterName}-s3` },
    });

    const services = props.interfaceEndpoints ?? [];
    if (services.length > 0) {
      this.endpointSecurityGroup = new SecurityGroup(this, "endpoint_security_group", {
        name: `${props.clusterName}-vpc-endpoints`,
        description: "HTTPS from inside the VPC to the interface endpoints",
        vpcId: this.vpc.id,
        tags: { Name: `${props.clusterName}-vpc-endpoints` },
      });
      new VpcSecurityGroupIngressRule(this, "endpoint_https_from_vpc", {
        securityGroupId: this.endpointSecurityGroup.id,
        description: "HTTPS from the VPC",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: vpcCidr,
      });
      for (const service of services) {
        new VpcEndpoint(this, `${service}_endpoint`, {
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: this.workerSubnetIds,
          securityGroupIds: [this.endpointSecurityGroup.id],
          tags: { Name: `${props.clusterName}-${service}` },
        });
      }
    }

    if (props.flowLogs?.enabled) {
      const logGroupName = `/aws/vpc/${props.clusterName}/flow-logs`;
      this.flowLogGroup = new EncryptedLogGroup(this, "flow_logs", {
        logGroupName,
        keyAlias: `${props.clusterName}-flow-logs`,
        retentionInDays: props.flowLogs.retentionDays,
        region: props.region,
        accountId: props.accountId,
        partition: props.partition,
        dnsSuffix: props.dnsSuffix,
        protected: props.protected,
      });
      const deliveryRole = new IamRole(this, "flow_logs_role", {
        name: `${props.clusterName}-flow-logs`,
        description: `Delivers VPC flow logs of ${props.clusterName} to ${logGroupName}`,
        assumeRolePolicy: renderPolicy(flowLogsTrustPolicy(props.accountId)),
      });
      new IamRolePolicy(this, "flow_logs_role_policy", {
        name: "deliver-to-log-group",
        role: deliveryRole.id,
        policy: renderPolicy(flowLogsDeliveryPolicy(this.flowLogGroup.logGroupArn)),
      });
      new FlowLog(this, "flow_log", {
        vpcId: this.vpc.id,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: this.flowLogGroup.logGroup.arn,
        iamRoleArn: deliveryRole.arn,
        maxAggregationInterval: 600,
        tags: { Name: props.clusterName },
      });
    }
  }
}

/** https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html (confused-deputy condition included). */
export function flowLogsTrustPolicy(accountId: string): PolicyDocument {
  return policyDocument({
    Sid: "VpcFlowLogsDelivery",
    Effect: "Allow",
    Principal: { Service: "vpc-flow-logs.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
  });
}

export function flowLogsDeliveryPolicy(logGroupArn: string): PolicyDocument {
  const logGroupsOfAccount = logGroupArn.replace(/:log-group:.*$/, ":log-group:*");
  return policyDocument(
    {
      Sid: "WriteFlowLogsToThisLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
    {
      Sid: "FindTheLogGroup",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: logGroupsOfAccount,
    },
  );
}
