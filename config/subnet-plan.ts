/**
 * Deterministic subnet layout: the VPC CIDR is cut into 16 equal blocks.
 * Blocks 0..7 hold one public subnet per zone, blocks 8..15 one private
 * subnet per zone, so adding a zone never renumbers an existing subnet.
 */
export interface SubnetPlan {
  readonly public: readonly string[];
  readonly private: readonly string[];
}

const MAX_ZONES = 8;

export function planSubnets(vpcCidr: string, zoneCount: number): SubnetPlan | string {
  const [base, prefixText] = vpcCidr.split("/");
  const prefix = Number(prefixText);
  if (prefix < 16 || prefix > 22) {
    return "a VPC CIDR from /16 to /22 (pods take VPC addresses, so each zone needs a large subnet)";
  }
  if (zoneCount > MAX_ZONES) return `at most ${MAX_ZONES} availability zones`;
  const start = ipToInt(base);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  if ((start & mask) >>> 0 !== start) {
    return `a CIDR whose address is the network address (${intToIp((start & mask) >>> 0)}/${prefix})`;
  }
  const blockPrefix = prefix + 4;
  const blockSize = 2 ** (32 - blockPrefix);
  const block = (i: number) => `${intToIp(start + i * blockSize)}/${blockPrefix}`;
  return {
    public: Array.from({ length: zoneCount }, (_, i) => block(i)),
    private: Array.from({ length: zoneCount }, (_, i) => block(MAX_ZONES + i)),
  };
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}
