// The access-control policy (Apigee AccessControl): allow or deny calls by the client's IPv4 or IPv6 address.
import { Type } from '@sinclair/typebox';
import { PolicyConfigError, StepFault, type FlowContext, type PolicyDefinition, type StepFunction } from '../policy.ts';
import { contains, parseAddress, parseNetwork, type Network } from './ip.ts';

const Action = (options: { description: string; default?: 'allow' | 'deny' }) => Type.Union([Type.Literal('allow'), Type.Literal('deny')], options);

export const AccessControlConfig = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          action: Action({ description: 'What to do with a call whose address is in one of `addresses`.' }),
          addresses: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
            minItems: 1,
            maxItems: 1000,
            description: 'CIDR blocks or single addresses, IPv4 or IPv6: `10.0.0.0/8`, `192.168.1.7`, `2001:db8::/32`. An IPv4 block also matches the IPv4-mapped IPv6 form (`::ffff:10.1.2.3`).',
          }),
        },
        { additionalProperties: false, title: 'rule', description: 'One match rule (Apigee `<MatchRule action>` with its `<SourceAddress mask>` list).' },
      ),
      { default: [], maxItems: 1000, description: 'Tried in order; the first rule with an address block containing the client address decides. Default: none, so `noRuleMatchAction` decides.' },
    ),
    noRuleMatchAction: Action({ default: 'allow', description: 'What to do when no rule matches (Apigee `noRuleMatchAction`). Default `allow`.' }),
    validateBasedOn: Type.Union([Type.Literal('client'), Type.Literal('x-forwarded-for-first'), Type.Literal('x-forwarded-for-last'), Type.Literal('x-forwarded-for-all')], {
      default: 'client',
      description:
        'Which address is checked. `client` (default): the TCP peer, which a client cannot forge. Behind proxies, the `X-Forwarded-For` header: `x-forwarded-for-last`, the address your nearest proxy appended (trust it only when the gateway is reachable through that proxy alone); `x-forwarded-for-first`, the original client as the first proxy recorded it, which the client can forge; `x-forwarded-for-all`, every address in it, the call denied if any one is (Apigee `X_FORWARDED_FOR_FIRST_IP`, `_LAST_IP`, `_ALL_IP`). Without the header, the TCP peer is checked.',
    }),
  },
  { additionalProperties: false, description: 'Allow or deny calls by client IP address (Apigee AccessControl).' },
);

interface CompiledRule {
  readonly allow: boolean;
  readonly blocks: readonly Network[];
}

interface Span {
  start: number;
  end: number;
}

/** Narrows `span` to one entry of X-Forwarded-For without spaces, brackets or an IPv4 port. */
function trimEntry(text: string, span: Span): void {
  let { start, end } = span;
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  if (text.charCodeAt(start) === 91) {
    // `[2001:db8::1]:8080`
    const close = text.indexOf(']', start);
    if (close !== -1 && close < end) {
      start++;
      end = close;
    }
  } else {
    // One colon after a dotted address is a port (`203.0.113.7:4711`); IPv6 has at least two.
    const colon = text.indexOf(':', start);
    if (colon !== -1 && colon < end && text.indexOf(':', colon + 1) === -1 && text.lastIndexOf('.', colon) > start) end = colon;
  }
  span.start = start;
  span.end = end;
}

export const accessControl: PolicyDefinition<typeof AccessControlConfig> = {
  name: 'access-control',
  summary: 'Allow or deny calls by client IP address: ordered allow/deny rules over IPv4 and IPv6 CIDR blocks, the first match deciding.',
  apigee: 'AccessControl',
  config: AccessControlConfig,
  errors: [
    {
      code: 'access-control.denied',
      status: 403,
      faultName: 'IPDeniedAccess',
      apigeeCode: 'accesscontrol.IPDeniedAccess',
      when: 'The first rule matching the client address denies it, or none matches and `noRuleMatchAction` is `deny`; also when the address to check is not an IP address.',
    },
  ],
  variables: { 'acl.<step>.failed': 'true when the step denied the call.' },
  create(config, _deps, placement): StepFunction {
    const rules: CompiledRule[] = config.rules.map((rule, r) => ({
      allow: rule.action === 'allow',
      blocks: rule.addresses.map((text, a) => {
        const block = parseNetwork(text.trim());
        if (!block) throw new PolicyConfigError(`rules/${r}/addresses/${a}: '${text}' is not an IPv4 or IPv6 address with an optional /prefix length (e.g. 10.0.0.0/8, 2001:db8::/32).`);
        return block;
      }),
    }));
    const allowUnmatched = config.noRuleMatchAction === 'allow';
    const basedOn = config.validateBasedOn;
    const failed = `acl.${placement.stepName}.failed`;
    // Parsing is synchronous, so one scratch address and span serve every call.
    const address = new Uint32Array(4);
    const span: Span = { start: 0, end: 0 };

    /** Whether text[start, end) is an address the rules allow; an unparseable one is denied. */
    function allowed(text: string, start: number, end: number): boolean {
      if (parseAddress(text, address, start, end) === 0) return false;
      for (const rule of rules) {
        for (const block of rule.blocks) if (contains(block, address)) return rule.allow;
      }
      return allowUnmatched;
    }

    function deny(context: FlowContext, ip: string): never {
      context.set(failed, true);
      throw new StepFault({ faultName: 'IPDeniedAccess', code: 'access-control.denied', apigeeCode: 'accesscontrol.IPDeniedAccess', status: 403, message: `Access Denied for client ip : ${ip}` });
    }

    function check(context: FlowContext, text: string, start: number, end: number): void {
      span.start = start;
      span.end = end;
      trimEntry(text, span);
      if (!allowed(text, span.start, span.end)) deny(context, text.slice(span.start, span.end));
    }

    return function accessControlStep(context) {
      const forwarded = basedOn === 'client' ? undefined : context.request.header('x-forwarded-for');
      if (forwarded === undefined || forwarded.trim() === '') {
        const ip = context.request.clientIp;
        if (!allowed(ip, 0, ip.length)) deny(context, ip);
        return;
      }
      if (basedOn === 'x-forwarded-for-first') {
        const comma = forwarded.indexOf(',');
        check(context, forwarded, 0, comma === -1 ? forwarded.length : comma);
      } else if (basedOn === 'x-forwarded-for-last') {
        check(context, forwarded, forwarded.lastIndexOf(',') + 1, forwarded.length);
      } else {
        let start = 0;
        while (start <= forwarded.length) {
          const comma = forwarded.indexOf(',', start);
          const end = comma === -1 ? forwarded.length : comma;
          check(context, forwarded, start, end);
          start = end + 1;
        }
      }
    };
  },
};
