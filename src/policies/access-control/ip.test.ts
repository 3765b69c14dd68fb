import { BlockList, isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { contains, parseAddress, parseNetwork } from './ip.ts';

const words = (text: string) => {
  const out = new Uint32Array(4);
  return parseAddress(text, out) === 0 ? undefined : [...out].map((w) => w.toString(16));
};

/** A small deterministic generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('IP addresses', () => {
  it('reads IPv4 as the IPv4-mapped IPv6 address', () => {
    expect(words('10.1.2.3')).toEqual(['0', '0', 'ffff', 'a010203']);
    expect(words('::ffff:10.1.2.3')).toEqual(words('10.1.2.3'));
  });

  it('reads IPv6 with :: anywhere, an IPv4 tail and a zone', () => {
    expect(words('::')).toEqual(['0', '0', '0', '0']);
    expect(words('::1')).toEqual(['0', '0', '0', '1']);
    expect(words('2001:db8::')).toEqual(['20010db8', '0', '0', '0']);
    expect(words('2001:DB8:0:0:1::8')).toEqual(['20010db8', '0', '10000', '8']);
    expect(words('1:2:3:4:5:6:7::')).toEqual(['10002', '30004', '50006', '70000']);
    expect(words('64:ff9b::192.0.2.33')).toEqual(['64ff9b', '0', '0', 'c0000221']);
    expect(words('fe80::1%eth0')).toEqual(['fe800000', '0', '0', '1']);
  });

  it('agrees with Node on what is an address', () => {
    const samples = [
      '1.2.3.4', '0.0.0.0', '255.255.255.255', '256.0.0.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '1..2.3', '1.2.3.4 ', ' 1.2.3.4', '',
      '::', ':::', '::1', '1::', ':1', '1:', '1::2::3', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2:3:4:5:6:7:8', '12345::', 'g::1',
      '::ffff:1.2.3.4', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::ffff:1.2.3', 'fe80::1%eth0', '[::1]', '1.2.3.4:80',
    ];
    for (const text of samples) expect(parseAddress(text, new Uint32Array(4)), JSON.stringify(text)).toBe(isIP(text));
  });

  it('refuses blocks with a bad prefix length, a zone, or that are no address', () => {
    for (const text of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/-1', '::/129', 'fe80::%eth0/64', 'example.com/8', '10.0.0.0/8/8']) {
      expect(parseNetwork(text), text).toBeUndefined();
    }
  });

  it('matches the same addresses as Node\'s BlockList', () => {
    const next = random(42);
    const byte = () => Math.floor(next() * 256);
    const hex = () => Math.floor(next() * 65536).toString(16);
    for (let n = 0; n < 300; n++) {
      const v6 = next() < 0.5;
      const base = v6 ? Array.from({ length: 8 }, hex).join(':') : Array.from({ length: 4 }, byte).join('.');
      const prefix = Math.floor(next() * (v6 ? 129 : 33));
      const block = parseNetwork(`${base}/${prefix}`);
      expect(block).toBeDefined();
      const oracle = new BlockList();
      oracle.addSubnet(base, prefix, v6 ? 'ipv6' : 'ipv4');
      for (let m = 0; m < 20; m++) {
        // Half the probes share the block's leading bits, so both answers occur.
        const probe = v6
          ? base.split(':').map((g, i) => (next() < 0.7 && i < 4 ? g : hex())).join(':')
          : base.split('.').map((b, i) => (next() < 0.7 && i < 3 ? b : String(byte()))).join('.');
        const address = new Uint32Array(4);
        parseAddress(probe, address);
        expect(contains(block!, address), `${probe} in ${base}/${prefix}`).toBe(oracle.check(probe, v6 ? 'ipv6' : 'ipv4'));
      }
    }
  });

  it('keeps IPv4 blocks out of IPv6 space and the other way round', () => {
    const v4all = parseNetwork('0.0.0.0/0')!;
    const address = new Uint32Array(4);
    parseAddress('2001:db8::1', address);
    expect(contains(v4all, address)).toBe(false);
    parseAddress('::ffff:192.0.2.1', address);
    expect(contains(v4all, address)).toBe(true);
  });
});
