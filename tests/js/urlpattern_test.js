// Hand-written URLPattern tests: the standard's examples, constructor overloads, errors and their
// messages, matching results, modifiers, the `v` flag syntax translation, compareComponent, the
// interface shape and tamper resistance. The WPT data is run by urlpattern_wpt_test.js.
// https://urlpattern.spec.whatwg.org/
import assert from 'node:assert';

const kComponents = [
  'protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash',
];

function components(pattern) {
  const out = {};
  for (const c of kComponents) out[c] = pattern[c];
  return out;
}

function throwsConstruct(fn, detail) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${e}`);
    assert.match(e.message, /^Failed to construct URLPattern: /);
    if (detail) assert.match(e.message, detail);
    return true;
  });
}

export const specExamples = {
  async test() {
    // https://urlpattern.spec.whatwg.org/#example-intro
    const intro = new URLPattern('https://example.com/:category/*');
    assert.deepStrictEqual(components(intro), {
      protocol: 'https', username: '*', password: '*', hostname: 'example.com', port: '',
      pathname: '/:category/*', search: '*', hash: '*',
    });
    assert.ok(intro.test('https://example.com/products/'));
    assert.ok(intro.test('https://example.com/blog/our-greatest-product-ever'));
    assert.ok(!intro.test('https://example.com/'));
    assert.ok(!intro.test('http://example.com/products/'));
    assert.ok(!intro.test('https://example.com:8443/blog/our-greatest-product-ever'));
    assert.strictEqual(intro.exec('https://example.com/products/').pathname.groups.category,
                       'products');

    // https://urlpattern.spec.whatwg.org/#example-intro-2
    const shop =
        new URLPattern('http{s}?://{:subdomain.}?shop.example/products/:id([0-9]+)#reviews');
    assert.deepStrictEqual(components(shop), {
      protocol: 'http{s}?', username: '*', password: '*', hostname: '{:subdomain.}?shop.example',
      port: '', pathname: '/products/:id([0-9]+)', search: '', hash: 'reviews',
    });
    assert.ok(shop.test('https://shop.example/products/74205#reviews'));
    assert.ok(shop.test('https://kathryn@voyager.shop.example/products/74656#reviews'));
    assert.ok(shop.test('http://insecure.shop.example/products/1701#reviews'));
    assert.ok(!shop.test('https://shop.example/products/2000'));
    assert.ok(!shop.test('http://shop.example:8080/products/0#reviews'));
    assert.ok(!shop.test('https://nx.shop.example/products/01?speed=5#reviews'));
    assert.ok(!shop.test('https://shop.example/products/chair#reviews'));
    const match = shop.exec('http://insecure.shop.example/products/1701#reviews');
    assert.strictEqual(match.hostname.groups.subdomain, 'insecure');
    assert.strictEqual(match.pathname.groups.id, '1701');
    assert.ok(shop.hasRegExpGroups);

    // https://urlpattern.spec.whatwg.org/#example-intro-3
    const admin = new URLPattern('../admin/*', 'https://discussion.example/forum/?page=2');
    assert.deepStrictEqual(components(admin), {
      protocol: 'https', username: '*', password: '*', hostname: 'discussion.example', port: '',
      pathname: '/admin/*', search: '*', hash: '*',
    });
    assert.ok(admin.test('https://discussion.example/admin/'));
    assert.ok(admin.test('https://edd:librarian@discussion.example/admin/update?id=1'));
    assert.ok(!admin.test('https://discussion.example/forum/admin/'));
    assert.ok(!admin.test('http://discussion.example:8080/admin/update?id=1'));

    // https://urlpattern.spec.whatwg.org/#example-pattern-strings
    assert.ok(new URLPattern({ pathname: '/blog/:title' }).test({ pathname: '/blog/hello-world' }));
    assert.ok(!new URLPattern({ pathname: '/blog/:title' }).test({ pathname: '/blog/2012/02' }));
    const dated = new URLPattern({ pathname: '/blog/:year(\\d+)/:month(\\d+)' });
    assert.deepStrictEqual({ ...dated.exec({ pathname: '/blog/2012/02' }).pathname.groups },
                           { year: '2012', month: '02' });
    const optional = new URLPattern({ pathname: '/products/:id?' });
    assert.ok(optional.test({ pathname: '/products' }));
    assert.ok(optional.test({ pathname: '/products/2' }));
    assert.ok(!optional.test({ pathname: '/products/' }));
    assert.ok(new URLPattern({ pathname: '/products/{:id}?' }).test({ pathname: '/products/' }));
    assert.ok(new URLPattern({ pathname: '/products/*' }).test({ pathname: '/products/a/b/c' }));
  },
};

export const constructorOverloads = {
  async test() {
    // No arguments and undefined: match everything.
    for (const p of [new URLPattern(), new URLPattern(undefined),
      new URLPattern(undefined, undefined), new URLPattern({}), new URLPattern(null),
      new URLPattern({}, {})]) {
      for (const c of kComponents) assert.strictEqual(p[c], '*', c);
      assert.strictEqual(p.hasRegExpGroups, false);
      assert.ok(p.test('https://anything.example/at/all?x#y'));
    }
    // (string, baseURL)
    const relative = new URLPattern('/books/:id', 'https://example.com/shelf');
    assert.strictEqual(relative.protocol, 'https');
    assert.strictEqual(relative.hostname, 'example.com');
    assert.strictEqual(relative.pathname, '/books/:id');
    assert.strictEqual(relative.search, '*');
    // (string, baseURL, options) and (init, options).
    const caseless = new URLPattern('/Books/:id', 'https://example.com', { ignoreCase: true });
    assert.ok(caseless.test('https://example.com/books/1'));
    assert.ok(caseless.test('https://example.com/BOOKS/1'));
    assert.ok(!new URLPattern('/Books/:id', 'https://example.com')
        .test('https://example.com/books/1'));
    const initCaseless =
        new URLPattern({ pathname: '/A', search: 'Q', hash: 'H' }, { ignoreCase: true });
    assert.ok(initCaseless.test({ pathname: '/a', search: 'q', hash: 'h' }));
    // ignoreCase never applies to the protocol or hostname, which are canonically lowercase.
    const host = new URLPattern({ hostname: 'Example.COM' }, { ignoreCase: false });
    assert.strictEqual(host.hostname, 'example.com');
    assert.ok(host.test({ hostname: 'EXAMPLE.com' }));
    // A second argument that is a string (or number) is a base URL.
    assert.strictEqual(new URLPattern('/x', 'https://a.example').hostname, 'a.example');
    throwsConstruct(() => new URLPattern('/x', 1), /invalid base URL "1"/);
    // Three arguments select the string overload even when the second is undefined.
    throwsConstruct(() => new URLPattern('/x', undefined, {}), /invalid base URL "undefined"/);
    // A relative constructor string needs a base URL; an object may not have one.
    throwsConstruct(() => new URLPattern('/foo'), /relative pattern "\/foo" without a base URL/);
    throwsConstruct(() => new URLPattern({ pathname: '/foo' }, 'https://example.com'),
                    /a base URL is not allowed when the input is an object/);
    throwsConstruct(() => new URLPattern({ baseURL: 'not a url' }), /invalid base URL/);
    // Options must be a dictionary.
    throwsConstruct(() => new URLPattern({}, 'https://a.example', 5));
    // Symbols cannot become strings.
    assert.throws(() => new URLPattern(Symbol('x')), TypeError);
    assert.throws(() => new URLPattern({ pathname: Symbol('x') }), TypeError);
    // Dictionary members are read from any object, e.g. a URL.
    const fromURL = new URLPattern(new URL('https://example.org/path?q#h'));
    assert.deepStrictEqual(components(fromURL), {
      protocol: 'https', username: '', password: '', hostname: 'example.org', port: '',
      pathname: '/path', search: 'q', hash: 'h',
    });
    // From the WPT constructor tests.
    throwsConstruct(() => new URLPattern(new URL('https://example.org/%(')));
    throwsConstruct(() => new URLPattern(new URL('https://example.org/%((')));
    throwsConstruct(() => new URLPattern('(\\'));
    // URLPattern is a constructor only.
    assert.throws(() => URLPattern(), TypeError);
  },
};

export const patternErrors = {
  async test() {
    throwsConstruct(() => new URLPattern({ pathname: '/(a' }),
                    /unbalanced regular expression group at index 1/);
    throwsConstruct(() => new URLPattern({ pathname: '/((a))' }),
                    /nested regular expression group must start with "\?"/);
    throwsConstruct(() => new URLPattern({ pathname: '/(?a)' }), /may not start with "\?"/);
    throwsConstruct(() => new URLPattern({ pathname: '/()' }), /empty regular expression group/);
    throwsConstruct(() => new URLPattern({ pathname: '/(é)' }), /non-ASCII code point/);
    throwsConstruct(() => new URLPattern({ pathname: '/:' }), /missing group name/);
    throwsConstruct(() => new URLPattern({ pathname: '/\\' }), /trailing "\\"/);
    throwsConstruct(() => new URLPattern({ pathname: '/{a' }), /expected "}"/);
    throwsConstruct(() => new URLPattern({ pathname: '/a}' }), /unexpected "}"/);
    throwsConstruct(() => new URLPattern({ pathname: '/:a/:a' }), /duplicate group name "a"/);
    throwsConstruct(() => new URLPattern({ pathname: '/(a{)' }),
                    /invalid regular expression in the pathname pattern/);
    throwsConstruct(() => new URLPattern({ protocol: 'h t' }), /invalid protocol "h t"/);
    throwsConstruct(() => new URLPattern({ hostname: 'a b' }), /invalid hostname "a b"/);
    throwsConstruct(() => new URLPattern({ hostname: '[::1' }));
    throwsConstruct(() => new URLPattern({ hostname: '[\\:\\:g]' }), /invalid IPv6 hostname/);
    throwsConstruct(() => new URLPattern({ port: 'x' }), /invalid port "x"/);
    throwsConstruct(() => new URLPattern({ port: '65536' }), /invalid port/);
    // A modifier needs something to modify.
    throwsConstruct(() => new URLPattern({ pathname: '?' }));
    throwsConstruct(() => new URLPattern({ pathname: '/a/++' }));
  },
};

export const matching = {
  async test() {
    const p = new URLPattern({ pathname: '/users/:id/:tab?' });
    // String input, with and without a base URL; the base is listed in inputs.
    const r1 = p.exec('https://example.com/users/7/posts');
    assert.deepStrictEqual(r1.inputs, ['https://example.com/users/7/posts']);
    assert.deepStrictEqual(r1.pathname,
                           { input: '/users/7/posts', groups: { id: '7', tab: 'posts' } });
    assert.deepStrictEqual(r1.protocol, { input: 'https', groups: { 0: 'https' } });
    const r2 = p.exec('/users/8', 'https://example.com/');
    assert.deepStrictEqual(r2.inputs, ['/users/8', 'https://example.com/']);
    // An optional group that did not match is present with the value undefined.
    assert.ok(Object.prototype.hasOwnProperty.call(r2.pathname.groups, 'tab'));
    assert.strictEqual(r2.pathname.groups.tab, undefined);
    // Unparsable URLs and base URLs are no match, not an error.
    assert.strictEqual(p.exec('not a url'), null);
    assert.strictEqual(p.test('not a url'), false);
    assert.strictEqual(p.exec('/users/1', 'not a base'), null);
    // Init input: the result echoes a copy of the dictionary; bad components are no match.
    const init = { pathname: '/users/9', hostname: 'example.com', extra: 1 };
    const r3 = p.exec(init);
    assert.notStrictEqual(r3.inputs[0], init);
    assert.deepStrictEqual(r3.inputs[0], { hostname: 'example.com', pathname: '/users/9' });
    assert.strictEqual(r3.hostname.input, 'example.com');
    assert.strictEqual(p.exec({ hostname: 'a b', pathname: '/users/1' }), null);
    assert.strictEqual(p.exec({ port: 'x', pathname: '/users/1' }), null);
    // Init input with a base URL argument is a TypeError; with a baseURL member it is fine.
    assert.throws(() => p.test({ pathname: '/users/1' }, 'https://example.com'),
                  { name: 'TypeError', message: /^Failed to test URLPattern: / });
    assert.throws(() => p.exec({ pathname: '/users/1' }, 'https://example.com'),
                  { name: 'TypeError', message: /^Failed to exec URLPattern: / });
    assert.ok(p.test({ pathname: 'users/1', baseURL: 'https://example.com/' }));
    // Input values are canonicalized like URL components.
    assert.ok(new URLPattern({ pathname: '/caf%C3%A9' }).test({ pathname: '/café' }));
    assert.ok(new URLPattern({ hostname: 'xn--caf-dma.example' }).test('https://café.example/'));
    assert.ok(new URLPattern({ protocol: 'https', port: '443' }).test('https://a.example/'));
    assert.strictEqual(new URLPattern({ protocol: 'https', port: '443' }).port, '');
    // No arguments match the empty init.
    assert.ok(new URLPattern().test());
    assert.strictEqual(new URLPattern({ pathname: '/x' }).test(), false);
    // Groups results are ordinary objects; "__proto__" is an own key.
    const proto = new URLPattern({ pathname: '/:__proto__' }).exec({ pathname: '/x' });
    assert.ok(Object.prototype.hasOwnProperty.call(proto.pathname.groups, '__proto__'));
    assert.strictEqual(Object.getPrototypeOf(proto.pathname.groups), Object.prototype);
  },
};

export const modifiersAndWildcards = {
  async test() {
    const groups = (pattern, pathname) => {
      const r = new URLPattern({ pathname: pattern }).exec({ pathname });
      return r === null ? null : { ...r.pathname.groups };
    };
    assert.deepStrictEqual(groups('/a/:b+', '/a/x/y/z'), { b: 'x/y/z' });
    assert.strictEqual(groups('/a/:b+', '/a'), null);
    assert.deepStrictEqual(groups('/a/:b*', '/a'), { b: undefined });
    assert.deepStrictEqual(groups('/a/:b*', '/a/x/y'), { b: 'x/y' });
    assert.deepStrictEqual(groups('/a/*', '/a/x/y'), { 0: 'x/y' });
    assert.deepStrictEqual(groups('/a/(\\d+)', '/a/42'), { 0: '42' });
    assert.deepStrictEqual(groups('/a/(\\d+)/:n/*', '/a/42/b/c'), { 0: '42', n: 'b', 1: 'c' });
    assert.deepStrictEqual(groups('/a{-:b}?', '/a-x'), { b: 'x' });
    assert.deepStrictEqual(groups('/a{-:b}?', '/a'), { b: undefined });
    assert.deepStrictEqual(groups('/{x}?y', '/y'), {});
    assert.deepStrictEqual(groups('/{x}?y', '/xy'), {});
    assert.deepStrictEqual(groups('/a\\:b', '/a:b'), {});
    // Names are JavaScript identifiers, Unicode included.
    assert.deepStrictEqual(groups('/:café', '/x'), { café: 'x' });
    assert.deepStrictEqual(groups('/:$a_1', '/x'), { $a_1: 'x' });
    // The hostname segment wildcard stops at dots.
    const host = new URLPattern({ hostname: ':sub.example.com' });
    assert.ok(host.test({ hostname: 'www.example.com' }));
    assert.ok(!host.test({ hostname: 'a.b.example.com' }));
    // Normalized pattern strings.
    assert.strictEqual(new URLPattern({ pathname: '/:foo(\\d+)' }).pathname, '/:foo(\\d+)');
    assert.strictEqual(new URLPattern({ pathname: '/(.*)' }).pathname, '/*');
    assert.strictEqual(new URLPattern({ pathname: '/:a([^\\/]+?)' }).pathname, '/:a');
    assert.strictEqual(new URLPattern({ pathname: '/{a}' }).pathname, '/a');
    assert.strictEqual(new URLPattern({ pathname: '/🍅/:x' }).pathname, '/%F0%9F%8D%85/:x');
    assert.strictEqual(new URLPattern({ hostname: 'ÉXAMPLE.com' }).hostname, 'xn--xample-9ua.com');
    assert.strictEqual(new URLPattern({ pathname: ':a\\b' }).pathname, '{:a}b');
    assert.strictEqual(new URLPattern({ pathname: '{:a\\b}' }).pathname, '{:a\\b}');
    // hasRegExpGroups only for custom regexps.
    assert.strictEqual(new URLPattern({ pathname: '/:a/*/:b?' }).hasRegExpGroups, false);
    assert.strictEqual(new URLPattern({ search: 'q=(\\d+)' }).hasRegExpGroups, true);
  },
};

// The standard compiles with the `v` flag; engines without it get an equivalent translation.
export const unicodeSetsSyntax = {
  async test() {
    const p = (s) => new URLPattern({ pathname: `/(${s})` });
    const m = (s, input) => p(s).test({ pathname: `/${input}` });
    // Subtraction, intersection and nested classes.
    assert.ok(m('[[a-z]--a]', 'z'));
    assert.ok(!m('[[a-z]--a]', 'a'));
    assert.ok(m('[[a-z]--[aeiou]--[xyz]]', 'b'));
    assert.ok(!m('[[a-z]--[aeiou]--[xyz]]', 'e'));
    assert.ok(!m('[[a-z]--[aeiou]--[xyz]]', 'y'));
    assert.ok(m('[\\d&&[0-1]]', '1'));
    assert.ok(!m('[\\d&&[0-1]]', '3'));
    assert.ok(m('[[a-c][x-z]]', 'y'));
    assert.ok(m('[a[^b-z]]', 'a'));
    assert.ok(!m('[a[^a-z]]', 'q'));
    assert.ok(m('[^[a-z]--[b]]', 'b'));
    assert.ok(!m('[^[a-z]--[b]]', 'c'));
    assert.ok(m('[^]', 'x'));
    assert.ok(!m('a[]', 'a'));
    // Class strings, longest first.
    assert.strictEqual(p('[\\q{abc|d}x]').exec({ pathname: '/abc' }).pathname.groups[0], 'abc');
    assert.ok(m('[\\q{abc|d}x]+', 'dxabc'));
    // Reserved punctuators may be escaped; \b is a backspace.
    assert.ok(m('[\\&\\-\\!]', '-'));
    assert.ok(m('[\\&\\-\\!]', '!'));
    // What `v` rejects inside a class.
    for (const bad of ['[a-]', '[-a]', '[|]', '[{]', '[a&&&b]', '[a--]', '[&&a]', '[a&&b-c]',
      '[a!!b]', '[^\\q{ab}]', '[\\q{a}&&a]', '[\\d-z]', '[a-z--b&&c]']) {
      throwsConstruct(() => p(bad), /invalid regular expression in the pathname pattern/);
    }
    // Outside classes `u` and `v` agree.
    assert.ok(m('\\d+|x', '12'));
    assert.ok(m('(?:ab)+', 'abab'));
    assert.ok(m('\\p{Lu}', 'A'));
    // Escaped brackets outside classes are not classes.
    assert.ok(m('\\[a\\]', '[a]'));
  },
};

export const compareComponent = {
  async test() {
    const cmp = (component, a, b) =>
      URLPattern.compareComponent(component, new URLPattern(a), new URLPattern(b));
    assert.strictEqual(cmp('pathname', { pathname: '/foo/a' }, { pathname: '/foo/b' }), -1);
    assert.strictEqual(cmp('pathname', { pathname: '/foo/:bar' }, { pathname: '/foo/*' }), 1);
    assert.strictEqual(
        cmp('pathname', { pathname: '/foo/{bar}?' }, { pathname: '/foo/{bar}*' }), 1);
    assert.strictEqual(cmp('pathname', { pathname: '/foo/:b' }, { pathname: '/foo/:a' }), 0);
    assert.strictEqual(cmp('pathname', { pathname: '*/foo' }, { pathname: '*' }), 1);
    assert.strictEqual(cmp('port', { port: '9' }, { port: '100' }), 1);
    assert.throws(() => URLPattern.compareComponent('nope', new URLPattern(), new URLPattern()),
                  TypeError);
    assert.throws(() => URLPattern.compareComponent('pathname', new URLPattern(), {}), TypeError);
    assert.throws(() => URLPattern.compareComponent('pathname', new URLPattern()), TypeError);
  },
};

export const interfaceShape = {
  async test() {
    assert.strictEqual(typeof URLPattern, 'function');
    const desc = Object.getOwnPropertyDescriptor(globalThis, 'URLPattern');
    assert.strictEqual(desc.enumerable, false);
    assert.strictEqual(desc.writable, true);
    assert.strictEqual(Object.prototype.toString.call(new URLPattern()), '[object URLPattern]');
    for (const name of [...kComponents, 'hasRegExpGroups']) {
      const d = Object.getOwnPropertyDescriptor(URLPattern.prototype, name);
      assert.strictEqual(typeof d.get, 'function', name);
      assert.strictEqual(d.set, undefined, name);
      assert.strictEqual(d.enumerable, true, name);
      assert.throws(() => d.get.call({}), TypeError, name);
    }
    for (const name of ['test', 'exec']) {
      const d = Object.getOwnPropertyDescriptor(URLPattern.prototype, name);
      assert.strictEqual(d.enumerable, true);
      assert.throws(() => URLPattern.prototype[name].call({}, {}), TypeError, name);
    }
    // Results are plain data.
    const r = new URLPattern().exec('https://a.example/');
    assert.deepStrictEqual(Object.keys(r), ['inputs', ...kComponents]);
    assert.ok(Array.isArray(r.inputs));
  },
};

export const tamperResistance = {
  async test() {
    const saved = {
      exec: RegExp.prototype.exec,
      test: RegExp.prototype.test,
      push: Array.prototype.push,
      replace: String.prototype.replace,
      defineProperty: Object.defineProperty,
    };
    let setterCalls = 0;
    try {
      RegExp.prototype.exec = () => { throw new Error('patched exec'); };
      RegExp.prototype.test = () => { throw new Error('patched test'); };
      Array.prototype.push = () => { throw new Error('patched push'); };
      String.prototype.replace = () => { throw new Error('patched replace'); };
      Object.defineProperty(Object.prototype, 'id', {
        set() { setterCalls++; }, configurable: true,
      });
      Object.defineProperty(Object.prototype, 'get',
                            { value: 1, configurable: true, writable: true });
      const p = new URLPattern({ pathname: '/:id([0-9]+)/*', search: 'q=:x' });
      assert.ok(p.test('https://example.com/12/a?q=1'));
      const r = p.exec('https://example.com/12/a?q=1');
      assert.strictEqual(new URLPattern('https://example.com/:id').test('https://example.com/1'),
                         true);
      assert.strictEqual(Object.getOwnPropertyDescriptor(r.pathname.groups, 'id').value, '12');
      const classes = new URLPattern({ pathname: '/([[a-z]--a])' });
      assert.strictEqual(classes.test({ pathname: '/b' }), true);
    } finally {
      RegExp.prototype.exec = saved.exec;
      RegExp.prototype.test = saved.test;
      Array.prototype.push = saved.push;
      String.prototype.replace = saved.replace;
      delete Object.prototype.id;
      delete Object.prototype.get;
    }
    assert.strictEqual(setterCalls, 0);
  },
};
