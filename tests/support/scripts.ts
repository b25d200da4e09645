// Conversation scripts shared by every channel's tests: the same words must get the same answers on the web
// chat, the terminal and Telegram.
import { consentSteps, press, type Step } from './conversation.ts';

export { consentSteps };

export const TITLE = 'Más autobuses nocturnos los fines de semana';
export const BODY =
  'Que haya autobuses cada 30 minutos entre la 1 y las 5 de la madrugada los viernes y sábados.';

/** Open a process by deep link, make a proposal with an edit on the way, send it. */
export const proposeSteps = (slug: string, processTitle: string): Step[] => [
  [`/start process_${slug}`, [processTitle, /Puedes hacer propuestas/]],
  [press('Hacer una propuesta'), [/Vas a hacer una propuesta/, /título/]],
  ['corto', [/demasiado corto \(5 caracteres; mínimo 10\)/, /título/]],
  [TITLE, /explica tu propuesta/],
  ['ayuda', [/«menú» para volver/, /explica tu propuesta/]],
  [BODY, /¿En qué categoría/],
  [press('Movilidad'), [/Así quedará tu propuesta/, TITLE, /Categoría: Movilidad/, /¿La envías\?/]],
  [press('Cambiar la categoría'), /¿En qué categoría/],
  ['2', /Categoría: Atención/],
  [press('Enviar propuesta'), /la revisará el equipo de moderación/],
];

/** Open a proposal by deep link, support it, take the support back, support it again by typing. */
export const supportSteps = (proposalId: number): Step[] => [
  [`/start proposal_${proposalId}`, [/#\d+ Propuesta de prueba/, /0 apoyos/]],
  [press('Apoyar'), [/¡Apoyo registrado!/, /1 apoyo\b/, /Ya la apoyas/]],
  [press('Retirar mi apoyo'), [/Has retirado tu apoyo/, /0 apoyos/]],
  ['apoyar', /¡Apoyo registrado!/],
  ['cancelar', [/Cancelado/, /¿Qué quieres hacer\?/]],
  [press('Ranking'), /1\. Propuesta de prueba número \d+ — 1 apoyo/],
];
