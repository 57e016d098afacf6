// Hand-written URL and URLSearchParams tests: spec examples, edge cases the URL Standard calls out,
// the searchParams live binding, statics, error types and messages, and tamper resistance.
// https://url.spec.whatwg.org/
import assert from 'node:assert';

const href = (input, base) => (base === undefined ? new URL(input) : new URL(input, base)).href;

export const specExamples = {
  async test() {
    // API section examples.
    assert.strictEqual(new URL('https://example.org/💩').pathname, '/%F0%9F%92%A9');
    assert.throws(() => new URL('/🍣🍺'), TypeError);
    assert.strictEqual(href('/🍣🍺', 'https://url.spec.whatwg.org/'),
                       'https://url.spec.whatwg.org/%F0%9F%8D%A3%F0%9F%8D%BA');
    const pride = new URL('🏳️‍🌈', new URL('https://pride.example/hello-world'));
    assert.strictEqual(pride.pathname, '/%F0%9F%8F%B3%EF%B8%8F%E2%80%8D%F0%9F%8C%88');
    // URLSearchParams examples.
    assert.strictEqual(new URLSearchParams({ key: '730d67' }).toString(), 'key=730d67');
    const tilde = new URL('https://example.com/?a=b ~');
    assert.strictEqual(tilde.href, 'https://example.com/?a=b%20~');
    tilde.searchParams.sort();
    assert.strictEqual(tilde.href, 'https://example.com/?a=b+%7E');
    const both = new URL('https://example.com/?a=~&b=%7E');
    assert.strictEqual(both.search, '?a=~&b=%7E');
    assert.strictEqual(both.searchParams.get('a'), '~');
    assert.strictEqual(both.searchParams.get('b'), '~');
    const flag = new URL('https://example.org/?q=🏳️‍🌈&key=e1f7bc78');
    flag.searchParams.sort();
    assert.strictEqual(flag.search, '?key=e1f7bc78&q=%F0%9F%8F%B3%EF%B8%8F%E2%80%8D%F0%9F%8C%88');
    // Percent-encoding examples through the userinfo set.
    const user = new URL('https://h/');
    user.username = 'Say what‽';
    assert.strictEqual(user.username, 'Say%20what%E2%80%BD');
    user.password = '≡';
    assert.strictEqual(user.password, '%E2%89%A1');
    // Serialization of "web+demo:/.//not-a-host/" keeps the "/." prefix.
    assert.strictEqual(href('web+demo:/.//not-a-host/'), 'web+demo:/.//not-a-host/');
    assert.strictEqual(href('web+demo:/path/..//not-a-host/'), 'web+demo:/.//not-a-host/');
    // "/usr/.." is "/" and not an empty path.
    assert.strictEqual(new URL('file:///usr/..').pathname, '/');
    // Component percent-encode set matches encodeURIComponent through URLSearchParams? No: the
    // form set also encodes !'()~ and writes a space as "+".
    assert.strictEqual(new URLSearchParams([['a b', "!'()~*-._"]]).toString(),
                       'a+b=%21%27%28%29%7E*-._');
  },
};

export const parsingBasics = {
  async test() {
    assert.strictEqual(href('  \t\n https://EXAMPLE.com:443/a/../b/./c \u0000'),
                       'https://example.com/b/c');
    assert.strictEqual(href('HTTP://h/%7e?%7e#%7e'), 'http://h/%7e?%7e#%7e');
    assert.strictEqual(href('http://h/a b?c d#e f'), 'http://h/a%20b?c%20d#e%20f');
    assert.strictEqual(href("http://h/?'"), 'http://h/?%27');
    assert.strictEqual(href("sc://h/?'"), "sc://h/?'");
    assert.strictEqual(href('http://h/^`{}'), 'http://h/%5E%60%7B%7D');
    assert.strictEqual(href('http:\\\\h\\a\\b'), 'http://h/a/b');
    assert.strictEqual(href('sc:\\\\h\\a'), 'sc:\\\\h\\a');
    assert.strictEqual(href('http:/h'), 'http://h/');
    assert.strictEqual(href('//h/x', 'https://base/'), 'https://h/x');
    assert.strictEqual(href('?q', 'https://base/p?old#f'), 'https://base/p?q');
    assert.strictEqual(href('#f', 'https://base/p?q#old'), 'https://base/p?q#f');
    assert.strictEqual(href('', 'https://base/p?q#f'), 'https://base/p?q');
    assert.strictEqual(href('../../x', 'https://base/a/b/c'), 'https://base/x');
    assert.strictEqual(href('%2e%2E/x', 'https://base/a/b/c'), 'https://base/a/x');
    assert.strictEqual(href('http://user:pass@h:8080/'), 'http://user:pass@h:8080/');
    assert.strictEqual(href('http://a@b@c/'), 'http://a%40b@c/');
    assert.strictEqual(href('http://a:b:c@h/'), 'http://a:b%3Ac@h/');
    assert.strictEqual(href('http://:@h/'), 'http://h/');
    assert.throws(() => new URL('http://user@/'), TypeError);
    assert.throws(() => new URL('http://'), TypeError);
    assert.throws(() => new URL('http://h:65536/'), TypeError);
    assert.throws(() => new URL('http://h:1x/'), TypeError);
    assert.strictEqual(href('http://h:0080/'), 'http://h/');
    assert.strictEqual(href('http://h:65535/'), 'http://h:65535/');
    assert.strictEqual(href('sc://h:80/'), 'sc://h:80/');
    assert.strictEqual(href('ws://h:80/'), 'ws://h/');
    assert.strictEqual(href('sc://'), 'sc://');
    assert.strictEqual(href('sc:'), 'sc:');
    // Non-special hosts are opaque: percent-encoded with the C0 control set, forbidden points fail.
    assert.strictEqual(href('sc://ü/'), 'sc://%C3%BC/');
    assert.strictEqual(href('sc://%41/'), 'sc://%41/');
    assert.throws(() => new URL('sc://a b/'), TypeError);
    assert.throws(() => new URL('sc://a^b/'), TypeError);
    // Opaque paths.
    const mail = new URL('mailto:Joe@Example.COM?subject=hi there');
    assert.strictEqual(mail.pathname, 'Joe@Example.COM');
    assert.strictEqual(mail.search, '?subject=hi%20there');
    assert.strictEqual(mail.host, '');
    assert.strictEqual(mail.origin, 'null');
    assert.strictEqual(href('javascript:alert(1) '), 'javascript:alert(1)');
    assert.strictEqual(href('sc:a\u0001b\u00e9'), 'sc:a%01b%C3%A9');
    assert.throws(() => new URL('x', 'mailto:a'), TypeError);
    assert.strictEqual(href('#frag', 'mailto:a?b'), 'mailto:a?b#frag');
  },
};

export const opaquePathSpaces = {
  async test() {
    // A space right before "?" or "#" is encoded, so removing the query keeps the path intact.
    const u = new URL('data:space    ?query');
    assert.strictEqual(u.pathname, 'space   %20');
    u.searchParams.delete('query');
    assert.strictEqual(u.href, 'data:space   %20');
    const v = new URL('data:space  ?query#fragment');
    v.search = '';
    assert.strictEqual(v.href, 'data:space %20#fragment');
    v.hash = '';
    assert.strictEqual(v.href, 'data:space %20');
    assert.strictEqual(new URL(v.href).href, v.href);
    assert.strictEqual(new URL('sc:a b').pathname, 'a b');
  },
};

export const fileURLs = {
  async test() {
    assert.strictEqual(href('file:///C|/foo'), 'file:///C:/foo');
    assert.strictEqual(href('file://localhost/x'), 'file:///x');
    assert.strictEqual(href('file://LOCALHOST/x'), 'file:///x');
    assert.strictEqual(href('file:c:\\foo'), 'file:///c:/foo');
    assert.strictEqual(href('file://host/share'), 'file://host/share');
    assert.strictEqual(href('..', 'file:///C:/'), 'file:///C:/');
    assert.strictEqual(href('/x', 'file:///C:/a/b'), 'file:///C:/x');
    assert.strictEqual(href('//h/x', 'file:///C:/a'), 'file://h/x');
    assert.strictEqual(href('?q', 'file:///a/b'), 'file:///a/b?q');
    assert.strictEqual(href('C|/x', 'file://h/a/b'), 'file://h/C:/x');
    assert.strictEqual(new URL('file:///x').origin, 'null');
    assert.strictEqual(new URL('file:///x').host, '');
  },
};

export const ipv4 = {
  async test() {
    const host = (h) => new URL(`http://${h}/`).hostname;
    assert.strictEqual(host('127.0.0.1'), '127.0.0.1');
    assert.strictEqual(host('0x7f.1'), '127.0.0.1');
    assert.strictEqual(host('127.1'), '127.0.0.1');
    assert.strictEqual(host('0300.168.0xF0'), '192.168.0.240');
    assert.strictEqual(host('017700000001'), '127.0.0.1');
    assert.strictEqual(host('0x7F000001'), '127.0.0.1');
    assert.strictEqual(host('4294967295'), '255.255.255.255');
    assert.strictEqual(host('0x'), '0.0.0.0');
    assert.strictEqual(host('0'), '0.0.0.0');
    assert.strictEqual(host('1.2.3.4.'), '1.2.3.4');
    assert.strictEqual(host('%31%32%37.1'), '127.0.0.1');
    assert.strictEqual(host('１２７.0.0.1'), '127.0.0.1');  // Fullwidth digits map to ASCII.
    assert.throws(() => new URL('http://4294967296/'), TypeError);
    assert.throws(() => new URL('http://1.2.3.4.5/'), TypeError);
    assert.throws(() => new URL('http://256.0.0.1/'), TypeError);
    assert.throws(() => new URL('http://1.2.3.09/'), TypeError);
    assert.throws(() => new URL('http://foo.09/'), TypeError);
    assert.throws(() => new URL('http://foo.0x4/'), TypeError);
    assert.strictEqual(host('1.2.3.4..'), '1.2.3.4..');  // Ends in an empty label: a domain.
    assert.throws(() => new URL('http://0x100000000/'), TypeError);
    assert.throws(() => new URL('http://999999999999999999999999/'), TypeError);
    // Not ending in a number: a domain.
    assert.strictEqual(host('1.2.3.a'), '1.2.3.a');
    assert.strictEqual(host('0x.a'), '0x.a');
    assert.strictEqual(host('09.a'), '09.a');
    // Non-special URLs never parse IPv4.
    assert.strictEqual(new URL('sc://0x7f.1/').hostname, '0x7f.1');
  },
};

export const ipv6 = {
  async test() {
    const host = (h) => new URL(`http://[${h}]/`).host;
    assert.strictEqual(host('::1'), '[::1]');
    assert.strictEqual(host('0:0:0:0:0:0:0:1'), '[::1]');
    assert.strictEqual(host('0:0:1:0:0:0:0:1'), '[0:0:1::1]');
    assert.strictEqual(host('1:0:0:2:0:0:0:3'), '[1:0:0:2::3]');
    assert.strictEqual(host('1:0:0:2:0:0:3:4'), '[1::2:0:0:3:4]');  // First of equal runs.
    assert.strictEqual(host('1:0:2:3:4:5:6:7'), '[1:0:2:3:4:5:6:7]');  // A single 0 stays.
    assert.strictEqual(host('::'), '[::]');
    assert.strictEqual(host('ABCD::EF'), '[abcd::ef]');
    assert.strictEqual(host('::ffff:1.2.3.4'), '[::ffff:102:304]');
    assert.strictEqual(host('::1.2.3.4'), '[::102:304]');
    assert.strictEqual(new URL('http://[::1]:8080/').host, '[::1]:8080');
    assert.strictEqual(new URL('sc://[::1]/').hostname, '[::1]');
    for (const bad of ['1', ':1', '1:', '1::2::3', '1:2:3:4:5:6:7:8:9', '::1.2.3', '::1.2.3.4.5',
      '::1.2.3.256', '::01.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '::g', '12345::', '::1.2.3.4x']) {
      assert.throws(() => new URL(`http://[${bad}]/`), TypeError, bad);
    }
    assert.throws(() => new URL('http://[::1/'), TypeError);
    assert.throws(() => new URL('http://::1]/'), TypeError);
  },
};

export const idna = {
  async test() {
    const host = (h) => new URL(`https://${h}/`).hostname;
    assert.strictEqual(host('Bücher.de'), 'xn--bcher-kva.de');
    assert.strictEqual(host('faß.de'), 'xn--fa-hia.de');  // Nontransitional.
    assert.strictEqual(host('☕.example'), 'xn--53h.example');
    assert.strictEqual(host('EXAMPLE.COM'), 'example.com');
    assert.strictEqual(host('xn--bcher-kva.de'), 'xn--bcher-kva.de');
    assert.strictEqual(host('XN--BCHER-KVA.de'), 'xn--bcher-kva.de');
    assert.strictEqual(host('a\u3002b'), 'a.b');  // Ideographic full stop is a label separator.
    assert.strictEqual(host('%F0%9F%92%A9.com'), 'xn--ls8h.com');
    assert.strictEqual(host('-x-.y'), '-x-.y');  // CheckHyphens is false.
    assert.strictEqual(host('ab--c'), 'ab--c');
    assert.strictEqual(host(`${'a'.repeat(64)}.com`), `${'a'.repeat(64)}.com`);  // No DNS limits.
    assert.strictEqual(host('a_b'), 'a_b');  // UseSTD3ASCIIRules is false.
    assert.strictEqual(host('x..y'), 'x..y');
    assert.throws(() => new URL('https://xn--a/'), TypeError);  // Invalid Punycode.
    assert.throws(() => new URL('https://xn--xn--a--gua.pt/'), TypeError);  // Decodes to "xn--".
    assert.throws(() => new URL('https://\u0000x/'), TypeError);
    assert.throws(() => new URL('https://%00x/'), TypeError);
    assert.throws(() => new URL('https://%/'), TypeError);
    assert.throws(() => new URL('https://%zz/'), TypeError);
    assert.throws(() => new URL('https://%C3%28/'), TypeError);  // Invalid UTF-8 → U+FFFD.
    assert.throws(() => new URL('https://a\u200db/'), TypeError);  // CheckJoiners.
    assert.throws(() => new URL('https://\u05d0a/'), TypeError);  // CheckBidi.
    assert.throws(() => new URL('https://\u00ad/'), TypeError);  // Maps to nothing: empty.
    assert.throws(() => new URL('https://a<b/'), TypeError);
    assert.throws(() => new URL('https://a%25b/'), TypeError);  // "%" is a forbidden domain point.
  },
};

export const setters = {
  async test() {
    const u = new URL('https://user:pw@example.com:8080/p?q#f');
    u.protocol = 'http';
    assert.strictEqual(u.href, 'http://user:pw@example.com:8080/p?q#f');
    u.protocol = 'sc';  // Special → non-special is ignored.
    assert.strictEqual(u.protocol, 'http:');
    u.protocol = 'ws:ignored';
    assert.strictEqual(u.protocol, 'ws:');
    u.protocol = 'file';  // Not with credentials or a port.
    assert.strictEqual(u.protocol, 'ws:');
    u.port = '80';
    assert.strictEqual(u.port, '');
    assert.strictEqual(u.host, 'example.com');
    u.port = '8080stuff';
    assert.strictEqual(u.port, '8080');
    u.port = 'x';
    assert.strictEqual(u.port, '8080');
    u.port = '65536';
    assert.strictEqual(u.port, '8080');
    u.port = '';
    assert.strictEqual(u.port, '');
    u.host = 'other.org:99';
    assert.strictEqual(u.host, 'other.org:99');
    u.host = 'third.org';  // No port: the port is kept.
    assert.strictEqual(u.host, 'third.org:99');
    u.hostname = 'h:1';  // The hostname setter refuses a port.
    assert.strictEqual(u.hostname, 'third.org');
    u.hostname = '';  // Special URLs need a host.
    assert.strictEqual(u.hostname, 'third.org');
    u.username = 'a b';
    u.password = 'c@d';
    assert.strictEqual(u.href, 'ws://a%20b:c%40d@third.org:99/p?q#f');
    u.pathname = 'x y/../z';
    assert.strictEqual(u.pathname, '/z');
    u.pathname = '?#';
    assert.strictEqual(u.pathname, '/%3F%23');
    u.search = '??a';
    assert.strictEqual(u.search, '??a');
    u.search = '#x';
    assert.strictEqual(u.search, '?%23x');
    u.hash = '##h';
    assert.strictEqual(u.hash, '##h');
    u.hash = '';
    assert.strictEqual(u.href, 'ws://a%20b:c%40d@third.org:99/%3F%23?%23x');
    u.search = '';
    assert.strictEqual(u.href, 'ws://a%20b:c%40d@third.org:99/%3F%23');
    // A scheme change drops a port that is the new scheme's default.
    const ported = new URL('http://h:443/');
    ported.protocol = 'https';
    assert.strictEqual(ported.href, 'https://h/');
    ported.protocol = 'wss';
    assert.strictEqual(ported.port, '');
    const fileScheme = new URL('file:///x');
    fileScheme.protocol = 'http';  // A file URL with an empty host keeps its scheme.
    assert.strictEqual(fileScheme.href, 'file:///x');
    // Setters that do nothing for some URLs.
    const file = new URL('file:///x');
    file.username = 'u';
    file.port = '1';
    assert.strictEqual(file.href, 'file:///x');
    file.host = 'localhost';
    assert.strictEqual(file.href, 'file:///x');
    file.host = 'h';
    assert.strictEqual(file.href, 'file://h/x');
    const opaque = new URL('mailto:a@b');
    opaque.host = 'h';
    opaque.pathname = 'x';
    assert.strictEqual(opaque.href, 'mailto:a@b');
    const nonSpecial = new URL('sc://h/p');
    nonSpecial.hostname = '';
    assert.strictEqual(nonSpecial.href, 'sc:///p');
    // Tabs and newlines are removed from setter input too; leading C0 controls are not trimmed.
    const t = new URL('https://h/');
    t.pathname = '\ta\nb';
    assert.strictEqual(t.pathname, '/ab');
    t.hash = ' x ';
    assert.strictEqual(t.hash, '#%20x%20');
  },
};

export const hrefSetterAndErrors = {
  async test() {
    const u = new URL('https://a/?x=1');
    const params = u.searchParams;
    u.href = 'https://b/?y=2';
    assert.strictEqual(u.host, 'b');
    assert.strictEqual(params.get('y'), '2');
    assert.strictEqual(params.has('x'), false);
    assert.throws(() => { u.href = 'not a url'; }, {
      name: 'TypeError',
      message: "Failed to set the 'href' property on 'URL': the provided value is not of type " +
               "'valid URL string'.",
    });
    assert.strictEqual(u.href, 'https://b/?y=2');
    assert.throws(() => new URL('nope'), { name: 'TypeError', message: 'Invalid URL string.' });
    assert.throws(() => new URL('/x', 'nope'), {
      name: 'TypeError', message: 'Invalid URL string.',
    });
    assert.throws(() => new URL(), TypeError);
    assert.throws(() => URL.canParse(), TypeError);
    assert.throws(() => URL.parse(), TypeError);
    assert.throws(() => new URL(Symbol('x')), TypeError);
    assert.throws(() => URL('https://a/'), TypeError);  // Needs `new`.
    assert.throws(() => URL.createObjectURL(null), /not implemented/);
    assert.throws(() => URL.revokeObjectURL(''), /not implemented/);
  },
};

export const statics = {
  async test() {
    assert.strictEqual(URL.canParse('https://a/'), true);
    assert.strictEqual(URL.canParse('/x'), false);
    assert.strictEqual(URL.canParse('/x', 'https://a/'), true);
    assert.strictEqual(URL.canParse('/x', 'nope'), false);
    assert.strictEqual(URL.canParse('https://a/', undefined), true);
    assert.strictEqual(URL.canParse('x', 'sc:opaque'), false);
    const parsed = URL.parse('/p?q', 'https://a/b');
    assert.ok(parsed instanceof URL);
    assert.strictEqual(parsed.href, 'https://a/p?q');
    assert.notStrictEqual(URL.parse('https://a/'), URL.parse('https://a/'));
    assert.strictEqual(URL.parse('nope'), null);
    assert.strictEqual(URL.parse('/x', 'nope'), null);
    assert.strictEqual(parsed.searchParams.get('q'), '');
    // Non-string arguments are converted with ToString (a URL stringifies to its href).
    assert.strictEqual(new URL('x', new URL('https://a/b/c')).href, 'https://a/b/x');
    assert.strictEqual(new URL({ toString: () => 'https://obj/' }).href, 'https://obj/');
    // A lone surrogate becomes U+FFFD.
    assert.strictEqual(new URL('https://a/\ud800').pathname, '/%EF%BF%BD');
  },
};

export const stringifiers = {
  async test() {
    const u = new URL('https://a/b?c#d');
    assert.strictEqual(u.toString(), 'https://a/b?c#d');
    assert.strictEqual(u.toJSON(), 'https://a/b?c#d');
    assert.strictEqual(`${u}`, 'https://a/b?c#d');
    assert.strictEqual(JSON.stringify({ u }), '{"u":"https://a/b?c#d"}');
    assert.strictEqual(Object.prototype.toString.call(u), '[object URL]');
    assert.strictEqual(String(new URLSearchParams('a=b')), 'a=b');
    assert.strictEqual(Object.prototype.toString.call(new URLSearchParams()),
                       '[object URLSearchParams]');
  },
};

export const origins = {
  async test() {
    const origin = (s) => new URL(s).origin;
    assert.strictEqual(origin('https://a:443/x'), 'https://a');
    assert.strictEqual(origin('https://a:444/x'), 'https://a:444');
    assert.strictEqual(origin('ftp://a/'), 'ftp://a');
    assert.strictEqual(origin('ws://[::1]:81/'), 'ws://[::1]:81');
    assert.strictEqual(origin('blob:https://a.com/uuid'), 'https://a.com');
    assert.strictEqual(origin('blob:ftp://a/'), 'null');
    assert.strictEqual(origin('blob:blob:https://a/'), 'null');
    assert.strictEqual(origin('blob:garbage'), 'null');
    assert.strictEqual(origin('sc://a/'), 'null');
    assert.strictEqual(origin('data:text/plain,x'), 'null');
  },
};

export const searchParamsLiveBinding = {
  async test() {
    const u = new URL('https://a/?x=1&y=2');
    const p = u.searchParams;
    assert.strictEqual(u.searchParams, p);  // [SameObject]
    p.append('z', 'a b');
    assert.strictEqual(u.search, '?x=1&y=2&z=a+b');
    p.set('x', '3');
    assert.strictEqual(u.href, 'https://a/?x=3&y=2&z=a+b');
    p.delete('y');
    assert.strictEqual(u.search, '?x=3&z=a+b');
    u.search = '?q=%41&r';
    assert.deepStrictEqual([...p], [['q', 'A'], ['r', '']]);
    u.search = '';
    assert.strictEqual(p.size, 0);
    p.append('k', 'v');
    assert.strictEqual(u.href, 'https://a/?k=v');
    p.delete('k');
    assert.strictEqual(u.href, 'https://a/');  // An empty list removes the "?".
    const empty = new URL('https://a/?');
    empty.searchParams.sort();
    assert.strictEqual(empty.href, 'https://a/');
    u.hash = 'h';
    p.append('a', '1');
    assert.strictEqual(u.href, 'https://a/?a=1#h');
    // The list is read from the raw search input, not the URL's encoded query.
    u.search = "a='b c'";
    assert.strictEqual(p.get('a'), "'b c'");
    assert.strictEqual(u.search, '?a=%27b%20c%27');
    // A URLSearchParams built from a URL's params is a copy.
    const copy = new URLSearchParams(p);
    copy.append('extra', '1');
    assert.strictEqual(p.has('extra'), false);
  },
};

export const searchParamsConstructor = {
  async test() {
    const list = (p) => [...p];
    assert.deepStrictEqual(list(new URLSearchParams()), []);
    assert.deepStrictEqual(list(new URLSearchParams('')), []);
    assert.deepStrictEqual(list(new URLSearchParams('?a=1')), [['a', '1']]);
    assert.deepStrictEqual(list(new URLSearchParams('??a=1')), [['?a', '1']]);
    assert.deepStrictEqual(list(new URLSearchParams('a=1&&b&=c&d==e&')),
                           [['a', '1'], ['b', ''], ['', 'c'], ['d', '=e']]);
    assert.deepStrictEqual(list(new URLSearchParams('a+b=c+d%20e%2B')), [['a b', 'c d e+']]);
    assert.deepStrictEqual(list(new URLSearchParams('a=%zz%4&b=%%41')),
                           [['a', '%zz%4'], ['b', '%A']]);
    assert.deepStrictEqual(list(new URLSearchParams('a=%FF%C3')), [['a', '\ufffd\ufffd']]);
    assert.deepStrictEqual(list(new URLSearchParams('a=%E2%82%AC%F0%9F%92%A9')),
                           [['a', '€💩']]);
    assert.deepStrictEqual(list(new URLSearchParams('a=%EF%BB%BFx')), [['a', '\ufeffx']]);
    assert.deepStrictEqual(list(new URLSearchParams(null)), [['null', '']]);
    assert.deepStrictEqual(list(new URLSearchParams(undefined)), []);
    assert.deepStrictEqual(list(new URLSearchParams(123)), [['123', '']]);
    assert.deepStrictEqual(list(new URLSearchParams([['a', 1], ['b', null]])),
                           [['a', '1'], ['b', 'null']]);
    assert.deepStrictEqual(list(new URLSearchParams(new Map([['m', 'n']]))), [['m', 'n']]);
    assert.deepStrictEqual(list(new URLSearchParams([new Set(['s', 't'])])), [['s', 't']]);
    assert.deepStrictEqual(list(new URLSearchParams({ b: 1, a: 2, 1: 'x' })),
                           [['1', 'x'], ['b', '1'], ['a', '2']]);
    // Record keys and values are USVStrings: lone surrogates become U+FFFD, and later keys that
    // collide replace the value in place.
    assert.deepStrictEqual(list(new URLSearchParams({ '\ud800': 'a', '\udc00': 'b', c: '\ud800' })),
                           [['\ufffd', 'b'], ['c', '\ufffd']]);
    // Non-enumerable and symbol-less records.
    const rec = Object.create({ inherited: 1 }, { hidden: { value: 1, enumerable: false } });
    assert.deepStrictEqual(list(new URLSearchParams(rec)), []);
    assert.throws(() => new URLSearchParams({ [Symbol('s')]: 'x' }), TypeError);
    assert.throws(() => new URLSearchParams([['a']]), {
      name: 'TypeError', message: 'Invalid URL search params sequence.',
    });
    assert.throws(() => new URLSearchParams([['a', 'b', 'c']]), TypeError);
    assert.throws(() => new URLSearchParams(['ab']), TypeError);  // Inner items must be objects.
    assert.throws(() => new URLSearchParams([{}]), TypeError);  // ...and iterable.
    assert.throws(() => new URLSearchParams({ [Symbol.iterator]: 5 }), TypeError);
    // An object whose Symbol.iterator is undefined is a record; an enumerable symbol key cannot
    // convert to a USVString.
    assert.throws(() => new URLSearchParams({ [Symbol.iterator]: undefined, k: 'v' }), TypeError);
    const noIterator = Object.defineProperty({ k: 'v' }, Symbol.iterator, { value: undefined });
    assert.deepStrictEqual(list(new URLSearchParams(noIterator)), [['k', 'v']]);
    // Functions are objects: a function is converted as a record.
    const fn = () => {};
    fn.k = 'v';
    assert.deepStrictEqual(list(new URLSearchParams(fn)), [['k', 'v']]);
  },
};

export const searchParamsMethods = {
  async test() {
    const p = new URLSearchParams('a=1&b=2&a=3&c=4');
    assert.strictEqual(p.size, 4);
    assert.strictEqual(p.get('a'), '1');
    assert.strictEqual(p.get('zz'), null);
    assert.deepStrictEqual(p.getAll('a'), ['1', '3']);
    assert.deepStrictEqual(p.getAll('zz'), []);
    assert.strictEqual(p.has('a'), true);
    assert.strictEqual(p.has('a', '3'), true);
    assert.strictEqual(p.has('a', '2'), false);
    assert.strictEqual(p.has('a', undefined), true);  // undefined is "not given".
    p.delete('a', '3');
    assert.strictEqual(p.toString(), 'a=1&b=2&c=4');
    p.delete('a', undefined);
    assert.strictEqual(p.toString(), 'b=2&c=4');
    p.append('b', '5');
    p.set('b', '6');
    assert.strictEqual(p.toString(), 'b=6&c=4');
    p.set('new', 'x');
    assert.strictEqual(p.toString(), 'b=6&c=4&new=x');
    p.append(null, undefined);
    assert.strictEqual(p.get('null'), 'undefined');
    assert.throws(() => p.append('a'), TypeError);
    assert.throws(() => p.set('a'), TypeError);
    assert.throws(() => p.get(), TypeError);
    assert.throws(() => p.getAll(), TypeError);
    assert.throws(() => p.has(), TypeError);
    assert.throws(() => p.delete(), TypeError);
    // Serialization: everything but alphanumerics and *-._ is encoded, space is "+".
    const s = new URLSearchParams();
    s.append(' !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~', 'é€💩\ud800');
    assert.strictEqual(s.toString(),
                       '+%21%22%23%24%25%26%27%28%29*%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D' +
                       '%5E_%60%7B%7C%7D%7E=%C3%A9%E2%82%AC%F0%9F%92%A9%EF%BF%BD');
    assert.deepStrictEqual([...new URLSearchParams(s.toString())], [...s]);
  },
};

export const searchParamsSort = {
  async test() {
    const p = new URLSearchParams('z=1&a=2&z=0&a=1&b=x');
    p.sort();
    assert.strictEqual(p.toString(), 'a=2&a=1&b=x&z=1&z=0');  // Stable.
    // Code unit order: U+1F600 (surrogates D83D DE00) sorts before U+FFFD.
    const q = new URLSearchParams([
      ['\ufffd', '1'], ['\u{1f600}', '2'], ['\u00e9', '3'], ['e', '4'],
    ]);
    q.sort();
    assert.deepStrictEqual([...q].map((e) => e[1]), ['4', '3', '2', '1']);
    const big = new URLSearchParams();
    for (let i = 0; i < 200; i++) big.append(`k${i % 7}`, `${i}`);
    big.sort();
    const values = big.getAll('k3').map(Number);
    assert.deepStrictEqual(values, [...values].sort((a, b) => a - b));
  },
};

export const searchParamsIteration = {
  async test() {
    const p = new URLSearchParams('a=1&b=2');
    const paramsProto = URLSearchParams.prototype;
    assert.strictEqual(paramsProto[Symbol.iterator], paramsProto.entries);
    assert.deepStrictEqual([...p.keys()], ['a', 'b']);
    assert.deepStrictEqual([...p.values()], ['1', '2']);
    assert.deepStrictEqual([...p.entries()], [['a', '1'], ['b', '2']]);
    const it = p.entries();
    const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
    const proto = Object.getPrototypeOf(it);
    assert.strictEqual(Object.getPrototypeOf(proto), IteratorPrototype);
    assert.strictEqual(Object.prototype.toString.call(it), '[object URLSearchParams Iterator]');
    assert.strictEqual(Object.prototype.hasOwnProperty.call(proto, 'constructor'), false);
    assert.ok(Object.getOwnPropertyDescriptor(proto, 'next').enumerable);
    assert.throws(() => proto.next.call({}), TypeError);
    // Iterators and forEach see changes made while iterating.
    const seen = [];
    for (const [k] of p) {
      seen.push(k);
      if (k === 'a') p.append('c', '3');
    }
    assert.deepStrictEqual(seen, ['a', 'b', 'c']);
    const each = [];
    const thisArg = {};
    p.forEach(function (value, key, target) {
      assert.strictEqual(this, thisArg);
      assert.strictEqual(target, p);
      each.push(`${key}=${value}`);
      if (key === 'a') p.delete('b');
    }, thisArg);
    assert.deepStrictEqual(each, ['a=1', 'c=3']);
    assert.throws(() => p.forEach(), TypeError);
    assert.throws(() => p.forEach('nope'), TypeError);
    const done = p.keys();
    p.delete('a');
    p.delete('c');
    assert.deepStrictEqual(done.next(), { value: undefined, done: true });
    // The returned pair is a fresh array each time.
    const q = new URLSearchParams('x=1');
    q.entries().next().value[0] = 'changed';
    assert.strictEqual(q.get('x'), '1');
  },
};

export const interfaceShape = {
  async test() {
    for (const name of ['URL', 'URLSearchParams']) {
      const desc = Object.getOwnPropertyDescriptor(globalThis, name);
      assert.strictEqual(desc.enumerable, false, name);
      assert.strictEqual(desc.writable, true, name);
      assert.strictEqual(desc.configurable, true, name);
    }
    assert.strictEqual(URL.length, 1);
    assert.strictEqual(URLSearchParams.length, 0);
    assert.strictEqual(URL.parse.length, 1);
    assert.strictEqual(URL.canParse.length, 1);
    assert.strictEqual(URLSearchParams.prototype.append.length, 2);
    assert.strictEqual(URLSearchParams.prototype.delete.length, 1);
    assert.strictEqual(URLSearchParams.prototype.has.length, 1);
    assert.strictEqual(URLSearchParams.prototype.forEach.length, 1);
    for (const key of ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname',
      'port', 'pathname', 'search', 'searchParams', 'hash']) {
      const desc = Object.getOwnPropertyDescriptor(URL.prototype, key);
      assert.ok(desc.enumerable && desc.configurable && typeof desc.get === 'function', key);
      const readonly = key === 'origin' || key === 'searchParams';
      assert.strictEqual(desc.set === undefined, readonly, key);
    }
    assert.ok(Object.getOwnPropertyDescriptor(URL.prototype, 'toJSON').enumerable);
    assert.ok(Object.getOwnPropertyDescriptor(URL, 'canParse').enumerable);
    assert.ok(Object.getOwnPropertyDescriptor(URLSearchParams.prototype, 'size').enumerable);
    // Brand checks.
    const hrefGetter = Object.getOwnPropertyDescriptor(URL.prototype, 'href').get;
    assert.throws(() => hrefGetter.call({}), TypeError);
    assert.throws(() => URL.prototype.toString.call(new URLSearchParams()), TypeError);
    const hrefSetter = Object.getOwnPropertyDescriptor(URL.prototype, 'href').set;
    assert.throws(() => hrefSetter.call({}, 'https://a/'), TypeError);
    assert.throws(() => URLSearchParams.prototype.get.call(new URL('https://a/'), 'x'), TypeError);
    assert.throws(() => URLSearchParams.prototype.toString.call({}), TypeError);
    // Subclassing works.
    class MyURL extends URL {}
    const mine = new MyURL('https://sub/');
    assert.strictEqual(mine.host, 'sub');
    assert.ok(mine instanceof URL);
    class MyParams extends URLSearchParams {}
    assert.strictEqual(new MyParams('a=b').get('a'), 'b');
  },
};

export const tamperResistance = {
  async test() {
    const saved = [];
    const patch = (obj, key, value) => {
      saved[saved.length] = [obj, key, Object.getOwnPropertyDescriptor(obj, key)];
      Object.defineProperty(obj, key, { value, writable: true, configurable: true });
    };
    const boom = () => { throw new Error('patched method was called'); };
    try {
      patch(Array.prototype, 'push', boom);
      patch(Array.prototype, 'pop', boom);
      patch(Array.prototype, 'slice', boom);
      patch(Array.prototype, 'sort', boom);
      patch(Array.prototype, 'splice', boom);
      patch(String.prototype, 'slice', boom);
      patch(String.prototype, 'indexOf', boom);
      patch(String.prototype, 'charCodeAt', boom);
      patch(String.prototype, 'toLowerCase', boom);
      patch(String.prototype, 'split', boom);
      patch(String.prototype, Symbol.split, boom);
      patch(RegExp.prototype, 'exec', boom);
      patch(Number.prototype, 'toString', boom);
      patch(Map.prototype, 'set', boom);
      patch(Map.prototype, Symbol.iterator, boom);
      patch(Function.prototype, 'call', boom);
      patch(Function.prototype, 'apply', boom);
      patch(globalThis, 'parseInt', boom);
      const u = new URL('HTTPS://user:pw@Bücher.de:0443/a/../b?c d#e');
      assert.strictEqual(u.href, 'https://user:pw@xn--bcher-kva.de/b?c%20d#e');
      assert.strictEqual(new URL('http://0x7f.1/').host, '127.0.0.1');
      assert.strictEqual(new URL('http://[1:0:0:2::3]/').host, '[1:0:0:2::3]');
      const p = u.searchParams;
      p.append('x', 'y z');
      p.sort();
      p.set('x', '1');
      p.delete('c d');
      assert.strictEqual(u.search, '?x=1');
      assert.strictEqual(new URLSearchParams({ a: 'b' }).toString(), 'a=b');
      const seen = [];
      p.forEach((v, k) => seen[seen.length] = k);
      assert.strictEqual(seen[0], 'x');
    } finally {
      for (let i = saved.length - 1; i >= 0; i--) {
        const [obj, key, desc] = saved[i];
        if (desc) Object.defineProperty(obj, key, desc);
        else delete obj[key];
      }
    }
  },
};
