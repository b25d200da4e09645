import { afterAll, beforeAll, it } from 'vitest';
import { DirectLineHttp } from '../channels/webchat/harness.ts';
import { startPlazaServer, type PlazaServer } from './support.ts';
let server: PlazaServer;
beforeAll(async () => { server = await startPlazaServer(); });
afterAll(async () => { await server?.close(); });
it('probe', async () => {
  const dl = new DirectLineHttp(server.directLineUrl);
  const s = await dl.start();
  const cases: unknown[] = [
    { type: 'event', name: 'webchat/join' },
    { type: 'message', text: 'Español' },
    { type: 'invoke', name: 'adaptiveCard/action', value: { x: 1 } },
    { type: 'invoke' },
    { type: 'message', text: 'hola' },
    { type: 'endOfConversation' }, { type: 'messageReaction' }, { type: 'installationUpdate' }, { type: 'handoff' },
    { type: 'trace' }, { type: 'delay', value: 100000 }, { type: 'command', name: 'x' }, { type: 'messageUpdate', text: 'x' },
    { type: 'messageDelete' }, { type: 'suggestion', text: 'x' }, { type: 'contactRelationUpdate' },
    { type: 'message', text: '' }, { type: 'message', text: '   ' }, { type: 'message' }, { type: 'message', value: { a: 1 } },
    { type: 'message', value: 'Sí' }, { type: 'message', text: '\u0000\u202e hola' }, { type: 'message', locale: 'xx-??', text: 'hola' },
    { type: 'message', locale: 'de-DE', text: 'hola' },
    { type: 'message', text: 'x'.repeat(4000) },
    { type: 'message', text: '/start process_nonexistent' },
    { type: 'message', text: '/start proposal_999999999' },
    { type: 'message', text: '/start' },
    { type: 'message', text: 'Sí' },
    { type: 'message', text: 'menú' },
    { type: 'message', text: '😀'.repeat(1000) },
    { type: 'message', text: 'hola', value: [1, 2, 3] },
    { type: 'event', name: 'webchat/join', value: 'x'.repeat(50000) },
    { type: 'message', text: 'hola', channelData: { clientActivityID: 'same' } },
    { type: 'message', text: 'menú', channelData: { clientActivityID: 'same' } },
  ];
  for (const c of cases) {
    const r = await dl.post(s, c);
    const acts = (await dl.activities(s)).activities;
    const id = (r.body as { id?: string })?.id;
    const replies = acts.filter((a) => a.replyToId === id).map((a) => String(a.text).slice(0, 90));
    console.log(r.status, JSON.stringify(c).slice(0, 70), '→', r.status === 200 ? JSON.stringify(replies) : r.text.slice(0, 100));
  }
  for (const w of ['999999999999999', '-1', '1e3', '']) {
    const r = await dl.request('GET', `/conversations/${s.conversationId}/activities?watermark=${w}`, { token: s.token });
    console.log('watermark', w, r.status, r.text.slice(0, 80));
  }
  const r2 = await dl.request('GET', `/conversations/${s.conversationId}/activities?watermark=1&watermark=2`, { token: s.token });
  console.log('dup watermark', r2.status, r2.text.slice(0, 80));
  const r3 = await dl.request('POST', '/tokens/refresh', { token: s.token });
  console.log('refresh', r3.status);
  const r4 = await dl.request('POST', `/conversations/${s.conversationId}/activities`, { token: s.token, raw: '{"type":"message","text":"hola"}', headers: { 'Content-Type': 'application/json; charset=latin1' } });
  console.log('latin1', r4.status, r4.text.slice(0, 100));
  const r5 = await dl.request('POST', `/conversations/${s.conversationId}/activities`, { token: s.token, raw: '{"type":"message","text":"hola"}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } });
  console.log('gzip', r5.status, r5.text.slice(0, 100));
  const r6 = await fetch(server.baseUrl + '/%E0%A4%A', {});
  console.log('bad uri', r6.status, (await r6.text()).slice(0, 100));
  const r7 = await fetch(server.directLineUrl + '/conversations/%E0%A4%A/activities', { headers: { Authorization: 'Bearer ' + s.token } });
  console.log('bad uri dl', r7.status, (await r7.text()).slice(0, 100));
  const r8 = await fetch(server.baseUrl + '/webchat/webchat-minimal.js', { headers: { Range: 'bytes=99999999-' } });
  console.log('range', r8.status, (await r8.text()).slice(0, 100));
  console.log('5xx', JSON.stringify(server.answered.filter((a) => a.status >= 500)));
});
