import { clientAddressKey } from '../src/http/client-address';

describe('clientAddressKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressKey(' 203.0.113.7 ')).toBe('203.0.113.7');
  });

  it('reads an IPv4-mapped IPv6 address (dotted or hex) as the IPv4 address', () => {
    for (const ip of ['::ffff:203.0.113.7', '::FFFF:203.0.113.7', '::ffff:cb00:7107', '0:0:0:0:0:ffff:203.0.113.7']) {
      expect(clientAddressKey(ip)).toBe('203.0.113.7');
    }
  });

  it('counts any other IPv6 address by its /64, whatever its spelling', () => {
    const key = '2001:db8:1:2::/64';
    for (const ip of ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2:a:b:1.2.3.4', 'fe80::1%eth0'.replace('fe80::1', '2001:db8:1:2::9')]) {
      expect(clientAddressKey(ip)).toBe(key);
    }
    expect(clientAddressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    // A NAT64 address is not IPv4-mapped: it stays IPv6.
    expect(clientAddressKey('64:ff9b::203.0.113.7')).toBe('64:ff9b:0:0::/64');
  });

  it('puts anything that is not an IP under one bounded key', () => {
    expect(clientAddressKey(undefined)).toBe('unknown');
    expect(clientAddressKey('')).toBe('unknown');
    expect(clientAddressKey('not an ip')).toBe('other:not an ip');
    expect(clientAddressKey('x'.repeat(500))).toHaveLength('other:'.length + 64);
  });
});
