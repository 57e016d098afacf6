// json: POST of a ~1 KB JSON order (bench/workloads/json.lua sends it). Parses it, transforms it
// (totals, normalised names, tag counts, items sorted by line total) and answers with JSON.
export default {
  async fetch(request, env, ctx) {
    if (request.method !== 'POST') {
      return new Response('POST a JSON order\n', { status: 405, headers: { allow: 'POST' } });
    }
    const order = await request.json();
    const tags = {};
    let total = 0;
    const lines = [];
    for (const item of order.items) {
      const lineTotal = Math.round(item.price * item.qty * 100) / 100;
      total += lineTotal;
      for (const tag of item.tags) tags[tag] = (tags[tag] || 0) + 1;
      lines.push({ sku: item.sku.toUpperCase(), name: item.name.trim(), lineTotal });
    }
    lines.sort((a, b) => b.lineTotal - a.lineTotal || (a.sku < b.sku ? -1 : 1));
    const body = {
      id: order.id,
      customer: `${order.customer.last.toUpperCase()}, ${order.customer.first}`,
      itemCount: lines.length,
      total: Math.round(total * 100) / 100,
      tags,
      lines,
    };
    return new Response(JSON.stringify(body), {
      headers: { 'content-type': 'application/json' },
    });
  },
};
