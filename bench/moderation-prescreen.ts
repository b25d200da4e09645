// Benchmark (not a test): the moderation pre-screen as the worker runs it. N pending proposals in one process
// (generated Spanish and English texts, a share with personal data, insults, shouting, repeated characters,
// and near copies of earlier ones), a moderation case each, N jobs on the `moderation` BullMQ queue, and one
// BullMQ Worker whose processor calls prescreenCase with one ProposalIndexes (the near-duplicate index of
// the process, built by the first job and reused). Measured: items/s from the worker's start to the last
// job completed, and the processor's duration per item (p50/p90/p99). In the same run, the baseline: a
// sample of the same items pre-screened the naive way (the earlier proposals read from the database and
// compared one by one, `prescreenText({ text, others })`), extrapolated to N, and the ratio.
//
//   npm run bench:prescreen -- [--items 10000] [--baseline-items 100] [--concurrency 1] [--seed 1]
//                              [--no-record] [--wait-idle 300]
//
//   --baseline-items B  naive items measured: B items evenly spread over the N (every N/B-th, the last one
//                       included); their mean cost × N estimates the naive time for all N (an item's naive cost
//                       grows with the number of proposals before it, so the sample must cover all positions)
//   --concurrency C     the Worker's concurrency (processor durations then include waiting for the others)
//   --wait-idle S       wait up to S seconds for the machine to be idle before starting (0: don't wait)
//
// Verification (exit code 1 otherwise): every case pre-screened once by the worker, none failed; the sampled
// items' stored findings equal the naive findings exactly. Also reported: findings by kind, and how many planted
// near copies and personal data were found.
//
// Like the other benches it creates its own database (`plaza_bench_<random>`) and Redis prefix
// (`plazabench-<random>`, queue keys under `<prefix>:bull`) and removes both at the end, also on failure.
// Results are printed as Markdown and added to this bench's section of bench/RESULTS.md (unless --no-record).
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { Worker } from 'bullmq';
import { openDatabase, type Database } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { NEAR_DUPLICATE_MAX, prescreenText, type Finding } from '../src/domain/moderation/prescreen-text.ts';
import { prescreenCase, proposalText, ProposalIndexes } from '../src/domain/prescreen-case.ts';
import { MODERATION_QUEUE, moderationJobSchema, type ModerationJob } from '../src/queues/moderation/job.ts';
import { createQueues, queuePrefix, type Queues } from '../src/queues/queues.ts';
import { connectRedis, type Redis } from '../src/redis/client.ts';
import { createProcess } from '../tests/support/fixtures.ts';
import { benchNames, cleanupPlazaState, databaseUrl } from './lib/plaza-state.ts';
import { cpuByCommand, machineBusyMs } from './lib/proc-cpu.ts';
import { machine, record, RESULTS, waitForIdle } from './lib/run-record.ts';
import { mib, ms, rate, summarize, type LatencySummary } from './lib/stats.ts';

const { values: argv } = parseArgs({
  options: {
    items: { type: 'string', default: '10000' },
    'baseline-items': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'no-record': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '300' },
  },
});
const ITEMS = Number(argv.items);
const BASELINE_ITEMS = Math.min(ITEMS, Number(argv['baseline-items']));
const CONCURRENCY = Number(argv.concurrency);
const SEED = Number(argv.seed);
const RECORD = argv['no-record'] !== true;
const WAIT_IDLE_SECONDS = Number(argv['wait-idle']);
const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECTION = '## bench/moderation-prescreen.ts — moderation pre-screen in the worker';

const log = (line: string) => console.error(`[bench] ${line}`);
const fail = (message: string): never => {
  throw new Error(message);
};
const thousands = (n: number) => n.toLocaleString('en-US');

// ---- Generated proposals -----------------------------------------------------------------------------------
// Seeded, so every run screens the same texts. About half the proposals follow a common pattern ("Queremos X
// en Y", one or two stock sentences), the rest are worded freely; free sentences mix real words with made-up
// Spanish-looking ones drawn with a skewed frequency, so the vocabulary is as large and uneven as real text's
// (without them, a small vocabulary makes unrelated texts look alike).

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
/** Zipf-like: the first entries much more often than the last. */
const skewed = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() ** 2.5 * xs.length)]!;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const list = (s: string) => s.split('|');

/** What is asked for, and what is wrong now, by topic. */
const ES_TOPICS = [
  [
    'carril bici|aparcabicis|ciclovía segregada|préstamo de bicicletas|calmado del tráfico|zona de bajas emisiones|lanzadera de autobús|parada de taxi|paso de cebra elevado|semáforo con pulsador',
    'los coches van muy rápido|no hay forma segura de ir en bici|el autobús tarda cuarenta minutos|los atascos por la mañana son eternos|los patinetes invaden la acera',
  ],
  [
    'parque infantil|columpios adaptados|arenero cubierto|tirolina|zona de juegos inclusiva|toldo sobre los columpios|suelo de caucho|ludoteca municipal',
    'los columpios están oxidados|los niños juegan en la carretera|el suelo está lleno de cristales|no hay sombra y los toboganes queman',
  ],
  [
    'arbolado|huerto comunitario|jardín vertical|riego por goteo|pradera de flores silvestres|compostera vecinal|corredor verde|estanque con patos',
    'los alcorques están vacíos|el solar se llena de basura|el calor en agosto es insoportable|se secaron los árboles que plantaron',
  ],
  [
    'biblioteca de barrio|sala de estudio nocturna|club de lectura|cineclub|escuela de música|taller de cerámica|centro cultural|auditorio al aire libre|mural participativo',
    'la biblioteca cierra a las siete|los estudiantes no tienen dónde estudiar|no hay ninguna actividad cultural|el centro cultural lleva cerrado desde la pandemia',
  ],
  [
    'pista de baloncesto|rocódromo|piscina cubierta|gimnasio al aire libre|campo de fútbol de hierba|pista de atletismo|skatepark|mesa de ping-pong|frontón',
    'la pista tiene las canastas rotas|hay que coger el coche para hacer deporte|la piscina solo abre en julio|los jóvenes no tienen dónde entrenar',
  ],
  [
    'limpieza de pintadas|barrido diario|contenedor de orgánico|punto limpio móvil|papeleras con cenicero|recogida de enseres|baldeo de calles|contenedor de ropa',
    'las aceras están llenas de excrementos|los contenedores rebosan los lunes|huele fatal en verano|los muebles se quedan semanas en la calle',
  ],
  [
    'iluminación LED|farolas solares|cámaras en el túnel|patrulla de proximidad|punto violeta|alumbrado del parque|espejo en el cruce',
    'por la noche no se ve nada|ha habido varios robos|las mujeres evitan pasar solas|el cruce es una trampa',
  ],
  [
    'rampa de acceso|ascensor público|bucle magnético|semáforo sonoro|baldosa podotáctil|aseo accesible|banco con reposabrazos|plaza de aparcamiento para personas con discapacidad',
    'las sillas de ruedas no pueden subir|hay escalones en todas las entradas|las personas ciegas se desorientan|la acera mide medio metro',
  ],
  [
    'centro de día|comedor social|programa de acompañamiento a mayores|escuela infantil pública|ayuda para el alquiler|vivienda social|oficina de empleo juvenil|consultorio médico',
    'muchos mayores viven solos|las listas de espera son enormes|los alquileres se han disparado|el consultorio más cercano está a cinco kilómetros',
  ],
  [
    'mercadillo de productores|feria de artesanía|ayudas al pequeño comercio|wifi gratuito en la plaza|coworking municipal|vivero de empresas|mercado de abastos renovado',
    'cierran tiendas cada mes|el mercado se cae a trozos|no hay cobertura en la plaza|los autónomos no encuentran local',
  ],
  [
    'placas solares en los colegios|comunidad energética|cargadores para coches eléctricos|aislamiento de edificios públicos|fuente de agua potable|bebedero para perros|refugio climático',
    'la factura de la luz del colegio es enorme|no hay dónde cargar el coche|en las aulas se pasa un calor horrible|no hay ninguna fuente en todo el paseo',
  ],
  [
    'pipicán vallado|zona de esparcimiento canino|colonia felina controlada|campaña de adopción|dispensador de bolsas',
    'los perros sueltos asustan a los niños|hay gatos abandonados|nadie recoge las cacas',
  ],
].map(([things, problems]) => ({ things: list(things!), problems: list(problems!) }));

const ES_QUALITIES = list(
  'amplio|moderno|seguro|bien iluminado|accesible|sostenible|gratuito|cubierto|vigilado|abierto todo el año|de calidad|bien señalizado|con sombra|barato de mantener|limpio|tranquilo',
);
const ES_WHO = list(
  'los niños|las personas mayores|los vecinos|las familias|los comerciantes|los estudiantes|las personas con discapacidad|los ciclistas|los peatones|los jóvenes|las asociaciones|los trabajadores del polígono|quienes tienen perro|los deportistas',
);
const STREET_KIND = list('calle|avenida|plaza|paseo|glorieta|camino|ronda|travesía');
const STREET_NAME = list(
  'Alcalá|Mayor|de la Paz|del Río|Cervantes|de los Olmos|San Isidro|Goya|Clara Campoamor|de las Huertas|Ferrocarril|Santa Ana|Bravo Murillo|Delicias|del Sol|Fuencarral|Argumosa|Embajadores|Ricardo Ortiz|de la Estación|Lope de Vega|del Pilar|Almendro|de la Constitución|Picos de Europa|Doctor Esquerdo|Valdebernardo|del Carmen|Marcelo Usera|Oporto|Federica Montseny|Camino Viejo|Ribera del Manzanares|Los Pinos|Gran Vía|La Vaguada',
);
const BARRIOS = list(
  'San Blas|Vallecas|Carabanchel|Moratalaz|Usera|Tetuán|Chamberí|Lavapiés|Hortaleza|Aluche|Villaverde|Barajas|Canillejas|Orcasitas|El Pilar|Prosperidad|Arganzuela|La Latina|Fuencarral|Vicálvaro|Palomeras|Sanchinarro|Las Tablas|Ciudad Lineal|Puente de Vallecas|Entrevías',
);
const ES_VERBS = list('instalar|crear|poner|habilitar|construir|recuperar|ampliar|renovar');
const ES_FAMILY = [
  ['hija', 'va andando al colegio'],
  ['hijo', 'entrena en el polideportivo'],
  ['madre', 'va al centro de salud'],
  ['abuelo', 'sale a pasear por las tardes'],
  ['sobrina', 'estudia en el instituto'],
  ['vecina', 'trabaja en el mercado'],
] as const;
const ES_CLOSERS = list(
  'Gracias.|Muchas gracias por leerla.|Espero que salga adelante.|Un saludo.|¡Apoyadla!|Contad conmigo.|Gracias de antemano.',
);

type EsContext = Record<
  | 'verb'
  | 'art'
  | 'thing'
  | 'quality'
  | 'quality2'
  | 'place'
  | 'problem'
  | 'problem2'
  | 'barrio'
  | 'barrio2'
  | 'who'
  | 'who2'
  | 'family'
  | 'familyDoes'
  | 'street'
  | 'years'
  | 'people'
  | 'money'
  | 'year'
  | 'year2',
  string
>;

const ES_TITLES = [
  (c: EsContext, p: string) => `${cap(c.thing)} ${c.quality} en ${p}`,
  (c: EsContext, p: string) => `Queremos ${c.thing} en ${p}`,
  (c: EsContext, p: string) => `Un ${c.thing} para ${p}`,
  (c: EsContext) => `${cap(c.thing)} ${c.quality}, ya`,
  (c: EsContext, p: string) => `${p}: ${c.thing}`,
  (c: EsContext, p: string) => `Por un ${c.thing} en ${p}`,
  (c: EsContext, p: string) => `Necesitamos ${c.thing} ${c.quality} (${p})`,
];

const ES_SENTENCES = [
  (c: EsContext) => `Propongo ${c.verb} ${c.art} ${c.thing} ${c.quality} en ${c.place}.`,
  (c: EsContext) => `En ${c.place} ${c.problem}, y por eso pedimos ${c.art} ${c.thing}.`,
  (c: EsContext) => `Vivo en ${c.barrio} desde hace ${c.years} años y ${c.problem}.`,
  (c: EsContext) => `Sería muy útil para ${c.who} y también para ${c.who2}.`,
  (c: EsContext) =>
    `Mi ${c.family} de ${c.years} años ${c.familyDoes}, y cada día lo pasamos mal porque ${c.problem}.`,
  (c: EsContext) =>
    `El presupuesto no debería superar los ${c.money} euros, según lo que ha costado en ${c.barrio2}.`,
  (c: EsContext) => `Hay sitio de sobra en el solar de la ${c.street}, que lleva ${c.years} años vacío.`,
  (c: EsContext) => `En ${c.year} ya se aprobó algo parecido, pero nunca se llegó a hacer.`,
  (c: EsContext) => `La asociación vecinal de ${c.barrio} ha recogido ${c.people} firmas.`,
  (c: EsContext) => `Que sea ${c.quality} y ${c.quality2}, no como lo último que pusieron.`,
  (c: EsContext) => `Se podría gestionar con ${c.who} y con el centro de ${c.barrio}.`,
  (c: EsContext) => `Cada mañana pasan por la ${c.street} unas ${c.people} personas.`,
  (c: EsContext) => `¿Por qué en ${c.barrio2} lo tienen y aquí no?`,
  (c: EsContext) => `No pedimos nada extraordinario: solo ${c.art} ${c.thing} ${c.quality}.`,
  (c: EsContext) => `El Ayuntamiento dijo en ${c.year} que lo estudiaría.`,
  (c: EsContext) => `Adjunto la idea: empezar por la ${c.street} y seguir hacia ${c.barrio2}.`,
  (c: EsContext) => `Si no se puede este año, al menos que se incluya en los presupuestos de ${c.year2}.`,
  (c: EsContext) => `Lo agradecerían sobre todo ${c.who}.`,
  (c: EsContext) => `${cap(c.problem)}; ${c.problem2}.`,
];

const ES_NOUNS = list(
  'acera|agua|alcalde|alumno|árbol|autobús|ayuntamiento|barrio|basura|bicicleta|biblioteca|calle|camino|campo|casa|centro|ciudad|coche|colegio|comercio|concejal|cruce|cultura|deporte|distrito|edificio|entrada|escalera|escuela|espacio|estación|familia|farola|fiesta|fuente|gente|gimnasio|hospital|huerto|iglesia|instituto|jardín|juventud|ladrillo|local|luz|mercado|metro|mujer|niño|noche|obra|oficina|paseo|patio|peatón|perro|piscina|plaza|polideportivo|portal|pueblo|puente|puerta|ruido|salud|semáforo|servicio|solar|sombra|suelo|taller|teatro|tienda|tráfico|tren|túnel|vecino|verano|invierno|vivienda|zona|muro|tejado|banco|columpio|arena|hierba|charco|bache|rotonda|esquina|farmacia|panadería|quiosco|buzón|marquesina|andén|vía|carretera|autovía|glorieta|barandilla|escalón|ascensor|rampa|valla|contenedor|papelera|cartel|pintada|grafiti|mural|estatua|kiosco|terraza|bar',
);
const ES_ADJS = list(
  'nuevo|viejo|grande|pequeño|roto|sucio|limpio|oscuro|peligroso|tranquilo|ruidoso|estrecho|ancho|largo|corto|público|privado|municipal|vecinal|abandonado|cerrado|abierto|caro|barato|útil|necesario|urgente|seguro|cómodo|incómodo|bonito|feo|verde|gris|antiguo|moderno|accesible|cercano|lejano|caluroso|frío|húmedo|seco',
);
const ES_VERBS3 = list(
  'necesita|tiene|pide|merece|espera|recibe|sufre|pierde|gana|cuida|limpia|arregla|cierra|abre|cambia|mejora|empeora|ocupa|bloquea|atraviesa|rodea|ilumina|ensucia|protege|conecta|separa',
);
const ES_STARTS = list(
  'Además|También|Por otro lado|Sin embargo|La verdad es que|Ojalá|Desde hace tiempo|Hoy en día|Cada semana|Por la tarde|Los domingos|Al final',
);

function madeUpWords(rng: Rng, count: number, endings: readonly string[]): string[] {
  const onsets = list('|b|c|d|f|g|l|m|n|p|r|s|t|v|ch|br|cr|pl|tr|gr');
  const vowels = list('a|e|i|o|u|ia|ue|ie');
  const codas = list('|||n|r|s|l');
  const words = new Set<string>();
  while (words.size < count) {
    let w = '';
    for (let k = int(rng, 1, 3); k > 0; k--) w += pick(rng, onsets) + pick(rng, vowels) + pick(rng, codas);
    words.add(w + pick(rng, endings));
  }
  return [...words];
}
const lexicon = mulberry32(1234);
const MADE_UP_NOUNS = madeUpWords(lexicon, 3000, list('o|a|ción|dad|miento|aje|ero|ía|or|ista'));
const MADE_UP_ADJS = madeUpWords(lexicon, 800, list('oso|al|ivo|ble|ado|ente|ico'));
const MADE_UP_VERBS = madeUpWords(lexicon, 600, list('a|e|aba|ía|ará'));
const word = (rng: Rng, real: readonly string[], madeUp: readonly string[], realShare: number) =>
  rng() < realShare ? pick(rng, real) : skewed(rng, madeUp);

function freeSpanishSentence(rng: Rng): string {
  const np = () => {
    const det = pick(rng, list('el|la|un|una|este|esa|nuestro|cada|los|las|mi|su'));
    const noun = word(rng, ES_NOUNS, MADE_UP_NOUNS, 0.35);
    return rng() < 0.5 ? `${det} ${noun} ${word(rng, ES_ADJS, MADE_UP_ADJS, 0.35)}` : `${det} ${noun}`;
  };
  const parts = [np(), word(rng, ES_VERBS3, MADE_UP_VERBS, 0.35), np()];
  if (rng() < 0.6) {
    parts.push(
      pick(rng, list('en|junto al|cerca del|detrás del|frente al|sobre el|hacia el|desde el|con|sin|para')),
      word(rng, ES_NOUNS, MADE_UP_NOUNS, 0.35),
    );
  }
  if (rng() < 0.4) {
    parts.push(
      pick(rng, list('y|pero|porque|aunque|mientras|que')),
      word(rng, ES_VERBS3, MADE_UP_VERBS, 0.35),
      np(),
    );
  }
  const start = rng() < 0.3 ? `${pick(rng, ES_STARTS)}, ` : '';
  return `${cap(start + parts.join(' '))}.`;
}

const street = (rng: Rng) => `${pick(rng, STREET_KIND)} ${pick(rng, STREET_NAME)}`;
const FEMININE = /(ía|ón|ción|ca|da|na|ra|sa|ta|la|za)$/;

function spanish(rng: Rng): { title: string; body: string } {
  const topic = pick(rng, ES_TOPICS);
  const thing = pick(rng, topic.things);
  const [family, familyDoes] = pick(rng, ES_FAMILY);
  const c: EsContext = {
    verb: pick(rng, ES_VERBS),
    art: FEMININE.test(thing.split(' ')[0]!) ? 'una' : 'un',
    thing,
    quality: pick(rng, ES_QUALITIES),
    quality2: pick(rng, ES_QUALITIES),
    place: rng() < 0.5 ? `la ${street(rng)}` : pick(rng, BARRIOS),
    problem: pick(rng, topic.problems),
    problem2: pick(rng, pick(rng, ES_TOPICS).problems),
    barrio: pick(rng, BARRIOS),
    barrio2: pick(rng, BARRIOS),
    who: pick(rng, ES_WHO),
    who2: pick(rng, ES_WHO),
    family,
    familyDoes,
    street: street(rng),
    years: String(int(rng, 2, 40)),
    people: String(int(rng, 30, 3000)),
    money: `${int(rng, 5, 900)}.000`,
    year: String(int(rng, 2012, 2025)),
    year2: String(int(rng, 2026, 2028)),
  };
  const patterned = rng() < 0.5;
  const where = rng() < 0.5 ? c.barrio : c.place;
  const title = patterned
    ? pick(rng, ES_TITLES)(c, where)
    : cap(
        `${pick(rng, list('más|otro|nuevo|mejor|arreglar|sin'))} ${word(rng, ES_NOUNS, MADE_UP_NOUNS, 0.35)} ` +
          `${word(rng, ES_ADJS, MADE_UP_ADJS, 0.35)} ${pick(rng, list('en|para|junto a'))} ${rng() < 0.5 ? c.barrio : word(rng, ES_NOUNS, MADE_UP_NOUNS, 0.35)}`,
      );
  const sentences = new Set<string>(patterned ? [ES_SENTENCES[int(rng, 0, 1)]!(c)] : []);
  for (let n = int(rng, 0, 1); n > 0; n--) sentences.add(pick(rng, ES_SENTENCES)(c));
  for (let n = int(rng, 2, 5); n > 0; n--) sentences.add(freeSpanishSentence(rng));
  if (rng() < 0.6) sentences.add(pick(rng, ES_CLOSERS));
  return { title, body: [...sentences].join(rng() < 0.2 ? '\n' : ' ') };
}

const EN_THINGS = list(
  'bike lane|playground|public library|community garden|skate park|drinking fountain|bus shelter|pedestrian crossing|street light|dog park|outdoor gym|study room|farmers market|solar panel|wheelchair ramp|public toilet|recycling point|youth centre',
);
const EN_QUALITIES = list('safe|accessible|free|covered|well lit|modern|quiet|clean|cheap to run');
const EN_WHO = list(
  'children|older people|families|students|shop owners|cyclists|disabled people|dog owners|teenagers|commuters',
);
const EN_PROBLEMS = list(
  'cars drive far too fast|there is nowhere to sit|it is pitch dark at night|the bins overflow every weekend|the only library closes at seven|there is no shade at all|kids play in the road|the pavement is broken',
);
const EN_NOUNS = list(
  'street|pavement|park|bench|tree|school|library|bus|stop|bike|lane|car|traffic|noise|night|summer|winter|children|family|neighbour|shop|market|square|fountain|light|bin|dog|garden|pool|court|centre|station|bridge|corner|crossing|ramp|fence|wall|roof|playground|hospital|clinic|office|theatre|river|path|road',
);
const EN_ADJS = list(
  'new|old|broken|dirty|clean|dark|dangerous|quiet|noisy|narrow|wide|long|public|local|empty|closed|open|cheap|useful|safe|green|grey|modern',
);
const EN_VERBS = list(
  'needs|has|lacks|deserves|blocks|crosses|surrounds|lights|protects|connects|separates|improves|damages|replaces',
);

type EnContext = Record<
  | 'thing'
  | 'quality'
  | 'quality2'
  | 'place'
  | 'problem'
  | 'barrio'
  | 'who'
  | 'who2'
  | 'years'
  | 'people'
  | 'money'
  | 'year',
  string
>;

const EN_SENTENCES = [
  (c: EnContext) => `I would like the council to build a ${c.quality} ${c.thing} near ${c.place}.`,
  (c: EnContext) => `Around ${c.place} ${c.problem}, which is why we need a ${c.thing}.`,
  (c: EnContext) => `It would help ${c.who} and ${c.who2} a lot.`,
  (c: EnContext) => `I have lived here for ${c.years} years and ${c.problem}.`,
  (c: EnContext) => `It should not cost more than ${c.money} euros.`,
  (c: EnContext) => `About ${c.people} people walk past every morning.`,
  (c: EnContext) => `The neighbours' association collected ${c.people} signatures in ${c.year}.`,
  (c: EnContext) => `Please make it ${c.quality} and ${c.quality2}.`,
];

function freeEnglishSentence(rng: Rng): string {
  const np = () =>
    `${pick(rng, list('the|a|this|that|our|every|my|their'))} ${rng() < 0.5 ? `${word(rng, EN_ADJS, MADE_UP_ADJS, 0.4)} ` : ''}${word(rng, EN_NOUNS, MADE_UP_NOUNS, 0.4)}`;
  const parts = [np(), word(rng, EN_VERBS, MADE_UP_VERBS, 0.4), np()];
  if (rng() < 0.6) parts.push(pick(rng, list('near|behind|next to|in front of|across')), np());
  if (rng() < 0.4)
    parts.push(pick(rng, list('and|but|because|while')), word(rng, EN_VERBS, MADE_UP_VERBS, 0.4), np());
  return `${cap(parts.join(' '))}.`;
}

function english(rng: Rng): { title: string; body: string } {
  const c: EnContext = {
    thing: pick(rng, EN_THINGS),
    quality: pick(rng, EN_QUALITIES),
    quality2: pick(rng, EN_QUALITIES),
    place: `${pick(rng, STREET_NAME)} ${pick(rng, list('Street|Avenue|Square|Road'))}`,
    problem: pick(rng, EN_PROBLEMS),
    barrio: pick(rng, BARRIOS),
    who: pick(rng, EN_WHO),
    who2: pick(rng, EN_WHO),
    years: String(int(rng, 2, 40)),
    people: String(int(rng, 30, 3000)),
    money: `${int(rng, 5, 900)},000`,
    year: String(int(rng, 2012, 2025)),
  };
  const patterned = rng() < 0.5;
  const sentences = new Set<string>(patterned ? [EN_SENTENCES[int(rng, 0, 1)]!(c)] : []);
  for (let n = int(rng, 0, 1); n > 0; n--) sentences.add(pick(rng, EN_SENTENCES)(c));
  for (let n = int(rng, 2, 5); n > 0; n--) sentences.add(freeEnglishSentence(rng));
  if (rng() < 0.5) sentences.add(pick(rng, list('Thanks!|Thank you.|Please support it.')));
  const title = patterned
    ? pick(rng, [
        `A ${c.quality} ${c.thing} for ${c.barrio}`,
        `We need a ${c.thing} near ${c.place}`,
        `${cap(c.thing)} in ${c.barrio}, please`,
      ])
    : cap(
        `${pick(rng, list('more|a better|fix the|no more|a new'))} ${skewed(rng, MADE_UP_NOUNS)} ${pick(rng, list('in|for|near'))} ${c.barrio}`,
      );
  return { title, body: [...sentences].join(' ') };
}

// Personal data with valid check digits (DNI letter, IBAN mod 97), as prescreen-text requires.
const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';
function dni(rng: Rng): string {
  const n = int(rng, 1_000_000, 99_999_999);
  return `${String(n).padStart(8, '0')}${DNI_LETTERS[n % 23]}`;
}
function iban(rng: Rng): string {
  const bban = Array.from({ length: 20 }, () => int(rng, 0, 9)).join('');
  let rest = 0;
  for (const ch of `${bban}142800`) rest = (rest * 10 + Number(ch)) % 97; // "ES00" moved to the end: E=14 S=28
  const compact = `ES${String(98 - rest).padStart(2, '0')}${bban}`;
  return rng() < 0.5 ? compact : compact.replace(/(.{4})/g, '$1 ').trim();
}
function phone(rng: Rng): string {
  const digits = `${pick(rng, ['6', '7', '9'])}${Array.from({ length: 8 }, () => int(rng, 0, 9)).join('')}`;
  return rng() < 0.5 ? digits : `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
const NAMES = list('ana|luis|marta|jorge|lucia|pablo|carmen|javier|elena|sergio');

function typo(rng: Rng, s: string): string {
  const i = int(rng, 0, s.length - 1);
  return rng() < 0.5
    ? s.slice(0, i) + s.slice(i + 1)
    : s.slice(0, i) + s.charAt(i + 1) + s.charAt(i) + s.slice(i + 2);
}

/** Someone submitting an earlier proposal again: a few words dropped, misspelt or added, a line more. */
function nearCopy(rng: Rng, of: { title: string; body: string }): { title: string; body: string } {
  const words = of.body.split(' ');
  for (let e = int(rng, 1, 4); e > 0; e--) {
    const r = rng();
    const i = int(rng, 0, words.length - 1);
    if (r < 0.35) words.splice(i, 1);
    else if (r < 0.7) words[i] = typo(rng, words[i]!);
    else words.splice(i, 0, pick(rng, list('muy|también|por favor|de verdad|urgentemente|todos')));
  }
  let body = words.join(' ');
  if (rng() < 0.3) body = `Lo vuelvo a proponer: ${body}`;
  if (rng() < 0.3) body += ' ¡Es la tercera vez que lo pido!';
  return { title: rng() < 0.5 ? of.title : typo(rng, of.title), body };
}

type Kind = 'plain' | 'near-copy' | 'phone' | 'email' | 'dni' | 'iban' | 'insult' | 'shouting' | 'repeated';
type Generated = { title: string; body: string; lang: 'es' | 'en'; kind: Kind; copyOf?: number };

/**
 * `count` proposals: 8% near copies of one of the previous 2,000, 8% with personal data, 4% with an insult,
 * 3% shouting, 3% with repeated characters; 80% of the others in Spanish.
 */
function generate(count: number, seed: number): Generated[] {
  const rng = mulberry32(seed);
  const out: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng();
    if (r < 0.08 && out.length > 0) {
      const source = int(rng, Math.max(0, out.length - 2000), out.length - 1);
      out.push({
        ...nearCopy(rng, out[source]!),
        lang: out[source]!.lang,
        kind: 'near-copy',
        copyOf: source,
      });
      continue;
    }
    const lang = rng() < 0.8 ? 'es' : 'en';
    const { title, body } = lang === 'es' ? spanish(rng) : english(rng);
    if (r < 0.16) {
      const what = pick(rng, ['phone', 'email', 'dni', 'iban'] as const);
      const value = {
        phone,
        dni,
        iban,
        email: (g: Rng) => `${pick(g, NAMES)}.${pick(g, NAMES)}${int(g, 1, 99)}@example.com`,
      }[what](rng);
      const lead = {
        phone: 'Mi teléfono es el',
        email: 'Escribidme a',
        dni: 'Mi DNI es',
        iban: 'Podéis colaborar en la cuenta',
      }[what];
      out.push({ title, body: `${body} ${lead} ${value}.`, lang, kind: what });
    } else if (r < 0.2) {
      const insult = pick(rng, list('idiota|gilipollas|imbécil|capullo|idiot|moron'));
      out.push({ title, body: `${body} El concejal es un ${insult}.`, lang, kind: 'insult' });
    } else if (r < 0.23) {
      out.push({ title: title.toUpperCase(), body: body.toUpperCase(), lang, kind: 'shouting' });
    } else if (r < 0.26) {
      out.push({ title, body: `${body} ¡¡¡Ya basta!!!!!!`, lang, kind: 'repeated' });
    } else {
      out.push({ title, body, lang, kind: 'plain' });
    }
  }
  return out;
}

// ---- Run ---------------------------------------------------------------------------------------------------

interface Seeded {
  processId: number;
  proposalIds: number[];
  caseIds: number[];
  seconds: number;
}

/** The process, the proposals (ids in generation order) and one open case each. */
async function seed(db: Database['prisma'], items: Generated[]): Promise<Seeded> {
  const started = performance.now();
  const process_ = await createProcess(db, {
    phase: 'proposals',
    title: 'Presupuestos participativos (bench)',
  });
  const categoryId = process_.categories[0]!.id;
  const proposalIds: number[] = [];
  const caseIds: number[] = [];
  const openedAt = new Date();
  for (let i = 0; i < items.length; i += 1000) {
    const chunk = items.slice(i, i + 1000);
    const created = await db.proposal.createManyAndReturn({
      data: chunk.map((g) => ({
        processId: process_.id,
        categoryId,
        title: g.title,
        body: g.body,
        locale: g.lang,
        status: 'pending' as const,
        createdAt: openedAt,
      })),
      select: { id: true, title: true, body: true },
    });
    created.forEach((p, k) => {
      if (p.title !== chunk[k]!.title || p.body !== chunk[k]!.body) fail('proposals came back out of order');
    });
    const ids = created.map((p) => p.id);
    if (
      ids.some((id, k) => k > 0 && id <= ids[k - 1]!) ||
      (proposalIds.length > 0 && ids[0]! <= proposalIds.at(-1)!)
    )
      fail('proposal ids are not ascending in generation order');
    proposalIds.push(...ids);
    const cases = await db.moderationCase.createManyAndReturn({
      data: ids.map((proposalId) => ({
        processId: process_.id,
        itemKind: 'proposal' as const,
        proposalId,
        reason: 'submitted' as const,
        openedAt,
      })),
      select: { id: true, proposalId: true },
    });
    const byProposal = new Map(cases.map((c) => [c.proposalId!, c.id]));
    caseIds.push(...ids.map((id) => byProposal.get(id) ?? fail(`no case for proposal ${id}`)));
  }
  return { processId: process_.id, proposalIds, caseIds, seconds: (performance.now() - started) / 1000 };
}

async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, limit) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

interface CpuMark {
  ownMs: number;
  machineMs: number;
  others: Map<string, number>;
  at: number;
}

function cpuMark(): CpuMark {
  const own = process.cpuUsage();
  return {
    ownMs: (own.user + own.system) / 1000,
    machineMs: machineBusyMs(),
    others: cpuByCommand(['postgres', 'redis-server']),
    at: performance.now(),
  };
}

/** Cores used between two marks: this process, PostgreSQL, Redis and everything else on the machine. */
function cpuBetween(a: CpuMark, b: CpuMark) {
  const wall = b.at - a.at;
  const own = (b.ownMs - a.ownMs) / wall;
  // A process that exits between the two readings takes its CPU time with it: never below 0.
  const postgres = Math.max(0, ((b.others.get('postgres') ?? 0) - (a.others.get('postgres') ?? 0)) / wall);
  const redis = Math.max(
    0,
    ((b.others.get('redis-server') ?? 0) - (a.others.get('redis-server') ?? 0)) / wall,
  );
  const machineCores = (b.machineMs - a.machineMs) / wall;
  const foreign = Math.max(0, machineCores - own - postgres - redis);
  return {
    foreign,
    text: `this process ${own.toFixed(2)} cores, PostgreSQL ${postgres.toFixed(2)} (all backends), Redis ${redis.toFixed(2)}, everything else ${foreign.toFixed(2)} (machine ${machineCores.toFixed(2)} of ${os.cpus().length})`,
  };
}

interface WorkerPhase {
  seconds: number;
  durations: number[];
  byCase: Map<number, number>;
  firstMs: number;
  results: { ok: number; alreadyDone: number; notOk: Map<string, number> };
  cpu: ReturnType<typeof cpuBetween>;
  rssAfter: number;
  heapAfter: number;
  index: { processes: number; documents: number; bytes: number };
}

async function runWorker(
  database: Database,
  workerRedis: Redis,
  prefix: string,
  caseIds: number[],
): Promise<WorkerPhase> {
  const deps = { db: database.prisma, now: () => new Date(), logger: createLogger('silent') };
  const indexes = new ProposalIndexes();
  const durations: number[] = [];
  const byCase = new Map<number, number>();
  const results = { ok: 0, alreadyDone: 0, notOk: new Map<string, number>() };
  let firstMs = NaN;
  let settled = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const count = (key: string) => results.notOk.set(key, (results.notOk.get(key) ?? 0) + 1);

  const worker = new Worker<ModerationJob>(
    MODERATION_QUEUE,
    async (job) => {
      const started = performance.now();
      try {
        const { caseId } = moderationJobSchema.parse(job.data);
        const result = await prescreenCase(deps, { caseId }, indexes);
        const took = performance.now() - started;
        if (Number.isNaN(firstMs)) firstMs = took;
        durations.push(took);
        byCase.set(caseId, took);
        if (!result.ok) count(result.reason);
        else if (result.alreadyDone) results.alreadyDone++;
        else results.ok++;
      } catch (error) {
        count(`threw: ${error instanceof Error ? error.message.slice(0, 80) : String(error)}`);
      }
    },
    { connection: workerRedis, prefix: queuePrefix(prefix), concurrency: CONCURRENCY, autorun: false },
  );
  worker.on('completed', () => {
    if (++settled === caseIds.length) allDone();
  });
  worker.on('failed', (_job, error) => {
    count(`failed: ${error.message.slice(0, 80)}`);
    if (++settled === caseIds.length) allDone();
  });
  worker.on('error', (error) => log(`worker error: ${error.message}`));

  const before = cpuMark();
  const started = performance.now();
  void worker.run();
  await done;
  const seconds = (performance.now() - started) / 1000;
  const after = cpuMark();
  await worker.close();
  const memory = process.memoryUsage();
  return {
    seconds,
    durations,
    byCase,
    firstMs,
    results,
    cpu: cpuBetween(before, after),
    rssAfter: memory.rss,
    heapAfter: memory.heapUsed,
    index: indexes.stats(),
  };
}

interface BaselinePhase {
  sample: number[];
  naive: number[];
  naiveDb: number[];
  naiveCompare: number[];
  mismatches: number[];
  cpu: ReturnType<typeof cpuBetween>;
}

/** The naive pre-screen of a sample of the items: read the earlier proposals, compare with each. */
async function runBaseline(db: Database['prisma'], seeded: Seeded): Promise<BaselinePhase> {
  const sample = Array.from(
    { length: BASELINE_ITEMS },
    (_, k) => Math.floor(((k + 1) * ITEMS) / BASELINE_ITEMS) - 1,
  );
  const naive: number[] = [];
  const naiveDb: number[] = [];
  const naiveCompare: number[] = [];
  const mismatches: number[] = [];
  const before = cpuMark();
  for (const i of sample) {
    const id = seeded.proposalIds[i]!;
    const stored = await db.moderationCase.findUniqueOrThrow({
      where: { id: seeded.caseIds[i]! },
      select: { findings: true, proposal: { select: { title: true, body: true } } },
    });
    const t0 = performance.now();
    const others = await db.proposal.findMany({
      where: { processId: seeded.processId, id: { lt: id }, status: { not: 'withdrawn' } },
      orderBy: { id: 'asc' },
      select: { id: true, title: true, body: true },
    });
    const t1 = performance.now();
    const findings = prescreenText({
      text: proposalText(stored.proposal!),
      others: others.map((p) => ({ id: p.id, text: proposalText(p) })),
    });
    const t2 = performance.now();
    naive.push(t2 - t0);
    naiveDb.push(t1 - t0);
    naiveCompare.push(t2 - t1);
    // Compared as values: jsonb does not keep the order of an object's keys.
    if (!isDeepStrictEqual(findings, stored.findings)) mismatches.push(id);
    if (naive.length % 10 === 0) log(`naive baseline: ${naive.length}/${sample.length} items`);
  }
  return { sample, naive, naiveDb, naiveCompare, mismatches, cpu: cpuBetween(before, cpuMark()) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const names = benchNames();
  const state = {
    adminUrl: ADMIN_URL,
    dbName: names.dbName,
    redisUrl: REDIS_URL,
    redisPrefix: names.redisPrefix,
  };
  const idleBusy = await waitForIdle(WAIT_IDLE_SECONDS, log);
  const started = new Date();
  const loadBefore = os.loadavg();
  const m = machine(ADMIN_URL, REDIS_URL);
  const items = generate(ITEMS, SEED);

  let database: Database | undefined;
  let redis: Redis | undefined;
  let workerRedis: Redis | undefined;
  let queues: Queues | undefined;
  let seeded: Seeded;
  let enqueueSeconds: number;
  let work: WorkerPhase;
  let baseline: BaselinePhase;
  let unscreened: number;
  const kinds = new Map<string, number>();
  const planted = { copies: 0, copiesFound: 0, personal: 0, personalFound: 0 };
  try {
    log(`database ${names.dbName}, Redis prefix ${names.redisPrefix}; seeding ${thousands(ITEMS)} proposals`);
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${names.dbName}`);
    } finally {
      await admin.end();
    }
    database = await openDatabase({
      databaseUrl: databaseUrl(ADMIN_URL, names.dbName),
      dataDir: '',
      poolSize: 10,
    });
    await database.migrate();
    seeded = await seed(database.prisma, items);
    log(`seeded in ${seeded.seconds.toFixed(1)} s`);

    redis = await connectRedis({ url: REDIS_URL });
    workerRedis = await connectRedis({ url: REDIS_URL });
    queues = createQueues({ redis, prefix: names.redisPrefix });
    const enqueueStarted = performance.now();
    await pool(seeded.caseIds.length, 32, (i) => queues!.moderateCase(seeded.caseIds[i]!));
    enqueueSeconds = (performance.now() - enqueueStarted) / 1000;
    log(
      `${thousands(seeded.caseIds.length)} jobs enqueued in ${enqueueSeconds.toFixed(1)} s; starting the worker`,
    );

    work = await runWorker(database, workerRedis, names.redisPrefix, seeded.caseIds);
    log(`worker: ${thousands(work.durations.length)} items in ${work.seconds.toFixed(1)} s`);

    unscreened = await database.prisma.moderationCase.count({
      where: { processId: seeded.processId, prescreenedAt: null },
    });
    const stored = await database.prisma.moderationCase.findMany({
      where: { processId: seeded.processId },
      select: { proposalId: true, findings: true },
    });
    const findingsOf = new Map(stored.map((c) => [c.proposalId!, (c.findings ?? []) as Finding[]]));
    items.forEach((g, i) => {
      const findings = findingsOf.get(seeded.proposalIds[i]!) ?? [];
      for (const kind of new Set(findings.map((f) => f.kind))) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const near = findings.flatMap((f) => (f.kind === 'near-duplicate' ? f.matches.map((x) => x.id) : []));
      if (g.copyOf !== undefined) {
        planted.copies++;
        if (near.includes(seeded.proposalIds[g.copyOf]!)) planted.copiesFound++;
      }
      if (['phone', 'email', 'dni', 'iban'].includes(g.kind)) {
        planted.personal++;
        const what = g.kind;
        if (findings.some((f) => f.kind === 'personal-data' && f.what === what)) planted.personalFound++;
      }
    });

    log(`naive baseline on ${BASELINE_ITEMS} items`);
    baseline = await runBaseline(database.prisma, seeded);
  } finally {
    await queues?.moderation.obliterate({ force: true }).catch(() => undefined);
    await queues?.close().catch(() => undefined);
    await redis?.quit().catch(() => undefined);
    await workerRedis?.quit().catch(() => undefined);
    await database?.close().catch(() => undefined);
    const deleted = await cleanupPlazaState(state).catch((e: unknown) => {
      log(`CLEANUP FAILED (drop ${names.dbName}, keys ${names.redisPrefix}:*): ${String(e)}`);
      return -1;
    });
    if (deleted >= 0) log(`cleaned up: database ${names.dbName} dropped, ${deleted} Redis keys deleted`);
  }

  // ---- Report ----------------------------------------------------------------------------------------------
  const s = summarize(work.durations);
  const itemsPerSecond = work.durations.length / work.seconds;
  const naiveS = summarize(baseline.naive);
  const naiveMean = mean(baseline.naive);
  const naiveTotalSeconds = (naiveMean * ITEMS) / 1000;
  const naivePerSecond = ITEMS / naiveTotalSeconds;
  const sampleIndexMs = baseline.sample.map((i) => work.byCase.get(seeded.caseIds[i]!) ?? NaN);
  const lastSample = baseline.sample.at(-1)!;
  const row = (name: string, count: string, perSecond: string, x: LatencySummary) =>
    `| ${name} | ${count} | ${perSecond} | ${ms(x.p50)} | ${ms(x.p90)} | ${ms(x.p99)} | ${ms(x.max)} |`;
  const share = (n: number, of: number) => `${thousands(n)} (${((100 * n) / of).toFixed(1)}%)`;
  const languages = items.filter((g) => g.lang === 'es').length;
  const byKind = (k: string) => items.filter((g) => g.kind === k).length;
  const contended = [
    ...(work.cpu.foreign > 0.15 ? [`the worker phase (≈ ${work.cpu.foreign.toFixed(2)} cores)`] : []),
    ...(baseline.cpu.foreign > 0.15
      ? [`the naive baseline (≈ ${baseline.cpu.foreign.toFixed(2)} cores)`]
      : []),
  ];
  const verification = [
    `${thousands(work.results.ok)} of ${thousands(ITEMS)} cases pre-screened by the worker (${work.results.alreadyDone} already done, ${[...work.results.notOk].map(([k, v]) => `${v}× ${k}`).join(', ') || 'no failures'}); ${unscreened} left without findings`,
    `the ${BASELINE_ITEMS} sampled items' stored findings ${baseline.mismatches.length === 0 ? 'equal' : `DIFFER from (proposals ${baseline.mismatches.slice(0, 10).join(', ')})`} the naive scan's, near-duplicates included`,
  ];
  const verified =
    work.results.ok === ITEMS &&
    work.results.notOk.size === 0 &&
    unscreened === 0 &&
    baseline.mismatches.length === 0;
  const md = [
    `#### ${started.toISOString()} — ${thousands(ITEMS)} proposals in one process, worker concurrency ${CONCURRENCY}`,
    '',
    `- Command: \`npm run bench:prescreen -- ${process.argv.slice(2).join(' ')}\``.replace(/ -- `$/, '`'),
    `- Machine: nproc ${m.nproc}, ${m.cpu}; Node ${m.node}; PostgreSQL ${m.postgres}, Redis ${m.redis} (both local)`,
    `- Memory (\`free -g\`): ${m.free.split('\n')[1]?.replace(/\s+/g, ' ') ?? 'n/a'}`,
    `- Code: ${m.commit}`,
    `- Before the run: load average ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; ${idleBusy.toFixed(2)} cores busy over the last 3 s`,
    `- Data (seed ${SEED}): ${thousands(ITEMS)} pending proposals, ${share(languages, ITEMS)} Spanish, the rest English, ${Math.round(mean(items.map((g) => g.title.length + g.body.length)))} characters on average; planted: ${thousands(byKind('near-copy'))} near copies of earlier ones, ${thousands(planted.personal)} with personal data (phone, e-mail, DNI, IBAN), ${thousands(byKind('insult'))} insults, ${thousands(byKind('shouting'))} shouting, ${thousands(byKind('repeated'))} repeated characters. Setup (not measured): proposals and cases ${seeded.seconds.toFixed(1)} s, ${thousands(ITEMS)} jobs enqueued in ${enqueueSeconds.toFixed(1)} s.`,
    '',
    '| Pre-screen | items | items/s | p50 | p90 | p99 | max |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row(
      '**Worker**: BullMQ job → `prescreenCase` (index), processor duration',
      thousands(work.durations.length),
      `**${rate(itemsPerSecond)}**`,
      s,
    ),
    row(
      `Naive: earlier proposals read + \`prescreenText({ others })\`, ${BASELINE_ITEMS} items evenly spread (every ${Math.round(ITEMS / BASELINE_ITEMS)}th)`,
      `${BASELINE_ITEMS} measured`,
      `${naivePerSecond.toFixed(2)} (estimate)`,
      naiveS,
    ),
    '',
    `- **Ratio**: the worker pre-screens ${(itemsPerSecond / naivePerSecond).toFixed(0)}× as many items per second as the naive scan would: ${thousands(ITEMS)} items in ${work.seconds.toFixed(1)} s against an estimated ${(naiveTotalSeconds / 60).toFixed(0)} min (the naive sample's mean, ${ms(naiveMean)}, × ${thousands(ITEMS)}; of it ${ms(mean(baseline.naiveDb))} reading the earlier proposals and ${ms(mean(baseline.naiveCompare))} comparing). On the same ${BASELINE_ITEMS} items the processor took ${ms(mean(sampleIndexMs))} on average (${(naiveMean / mean(sampleIndexMs)).toFixed(0)}×); on the last one (${thousands(lastSample)} earlier proposals) ${ms(work.byCase.get(seeded.caseIds[lastSample]!) ?? NaN)} against ${ms(baseline.naive.at(-1)!)} naive.`,
    `- The first job (cold: it loads the ${thousands(ITEMS)} proposals of the process into the index, in batches of 1,000) took ${ms(work.firstMs)}; it is included in the items/s. Index held at the end: ${thousands(work.index.documents)} proposals, ≈ ${mib(work.index.bytes)} (typed arrays and maps, estimated); worker process RSS ${mib(work.rssAfter)}, V8 heap used ${mib(work.heapAfter)}.`,
    `- Findings stored (items with at least one of the kind): ${[...kinds]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${share(v, ITEMS)}`)
      .join(
        ', ',
      )}; near copies naming their source among the top ${NEAR_DUPLICATE_MAX}: ${share(planted.copiesFound, planted.copies)} of ${thousands(planted.copies)} (a copy can be outranked by other copies of the same proposal); planted personal data found: ${share(planted.personalFound, planted.personal)} of ${thousands(planted.personal)}.`,
    `- CPU during the worker phase (${work.seconds.toFixed(1)} s): ${work.cpu.text}. During the naive baseline: ${baseline.cpu.text}.`,
    contended.length > 0
      ? `- **Contended:** other processes on the machine used CPU during ${contended.join(' and ')}; those figures understate an idle machine.`
      : '- Not contended: other processes used < 0.15 cores during both measured phases.',
    `- Verification: ${verification.join('; ')}.`,
    '',
  ].join('\n');
  console.log(md);
  if (RECORD) {
    record(SECTION, md);
    log(`recorded in ${path.relative(process.cwd(), RESULTS)}`);
  }
  if (!verified) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
