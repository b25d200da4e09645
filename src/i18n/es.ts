// Spanish (default). Keys ending in _one/_other are plurals chosen by `count`.
export const es = {
  common: {
    yes: 'Sí',
    no: 'No',
    backToMenu: 'Menú',
    whatNext: '¿Qué quieres hacer ahora?',
    retryChoice: 'No te he entendido. Pulsa un botón o escribe el número de la opción.',
    retryConfirm: 'No te he entendido. Contesta «sí» o «no».',
  },
  engine: {
    privateOnly: 'Solo puedo atenderte en una conversación privada. Escríbeme directamente para participar.',
    editsIgnored: 'No puedo ver los mensajes editados. Envía un mensaje nuevo, por favor.',
    buttonExpired: 'Ese botón ya no es válido. Te repito la pregunta actual:',
    error:
      'Lo siento, algo ha fallado por nuestra parte. No se ha perdido nada de lo que ya tenías guardado. Escribe «menú» para seguir.',
    slowDown: 'Vas muy rápido 🙂 Espera unos segundos antes de enviar más mensajes.',
    onlyText: 'Por ahora solo entiendo mensajes de texto y botones.',
    tooLong: 'Ese mensaje es demasiado largo (máximo {{max}} caracteres). ¿Puedes acortarlo?',
    unsupported: 'Por ahora solo entiendo mensajes de texto y botones.',
    cancelled: 'Cancelado. No se ha enviado nada.',
    cancelledBeforeConsent: 'De acuerdo. No hemos guardado nada. Cuando quieras empezar, escribe «hola».',
  },
  help: {
    text:
      'Con Plaza puedes leer los procesos de participación, hacer propuestas y apoyar las que te gusten.\n\n' +
      'Puedes pulsar los botones o escribir el número de la opción. En cualquier momento puedes escribir:\n' +
      '• «menú» para volver al inicio\n• «cancelar» para dejar lo que estás haciendo\n' +
      '• «privacidad» para leer el aviso de privacidad\n• «retirar consentimiento» para dejar de participar\n' +
      '• «idioma» para cambiar de idioma',
    beforeConsent:
      'Soy Plaza, el canal de participación ciudadana. Para participar necesito tu consentimiento; ' +
      'escribe «privacidad» para leer el aviso completo o «cancelar» para salir.',
  },
  onboarding: {
    hello: '¡Hola! 👋 Soy Plaza, el canal de participación ciudadana.',
    chooseLanguage: '¿En qué idioma prefieres hablar? / Which language do you prefer?',
    intro: 'Aquí puedes hacer propuestas a la administración y apoyar las que más te gusten.',
    noticeTitle: 'Antes de empezar, lo básico sobre tus datos:',
    askAge: '¿Tienes 14 años o más?',
    underAge:
      'Gracias por tu interés. En España solo pueden dar su consentimiento por sí mismas las personas de 14 años o más, ' +
      'así que no podemos registrarte. No hemos guardado ningún dato tuyo. Pide a tu madre, padre o tutor que te ayude a participar.',
    askConsent: '¿Aceptas que tratemos tus datos para participar, según este aviso?',
    consentYes: 'Sí, acepto',
    consentNo: 'No',
    readFull: 'Leer el aviso completo',
    declined:
      'Entendido, respetamos tu decisión. Sin tu consentimiento no guardamos nada y no puedes hacer propuestas ni apoyarlas. ' +
      'Si cambias de opinión, escribe «hola».',
    thanks:
      '¡Gracias! Ya puedes participar. Puedes retirar tu consentimiento cuando quieras escribiendo «retirar consentimiento».',
    noNotice:
      'Ahora mismo no podemos mostrar el aviso de privacidad, así que no podemos registrarte. Inténtalo más tarde.',
  },
  menu: {
    question: '¿Qué quieres hacer?',
    questionWithProcess: '¿Qué quieres hacer? (Proceso: {{process}})',
    proposals: 'Ver y apoyar propuestas',
    propose: 'Hacer una propuesta',
    ranking: 'Ranking',
    processes: 'Procesos',
    privacy: 'Privacidad',
    language: 'Idioma / Language',
  },
  phase: {
    information: 'Información',
    proposals: 'Propuestas',
    debate: 'Debate',
    voting: 'Votación',
    results: 'Resultados',
    follow_up: 'Seguimiento',
    none: 'sin fase abierta',
  },
  processes: {
    none: 'Ahora mismo no hay ningún proceso de participación.',
    notFound: 'No he encontrado ese proceso.',
    choose: '¿Qué proceso quieres ver?',
    currentPhase: 'Fase actual: {{phase}} (hasta el {{until}}).',
    noCurrentPhase: 'Ahora mismo no hay ninguna fase abierta.',
    canPropose: '✏️ Puedes hacer propuestas.',
    canSupport_one: '👍 Puedes apoyar {{count}} propuesta.',
    canSupport_other: '👍 Puedes apoyar hasta {{count}} propuestas.',
    phases: 'Fases:',
  },
  proposals: {
    none: 'Todavía no hay propuestas publicadas en este proceso.',
    page: 'Propuestas (página {{page}} de {{pages}}, {{total}} en total):',
    line_one: '{{n}}. {{title}} — {{category}} · {{count}} apoyo',
    line_other: '{{n}}. {{title}} — {{category}} · {{count}} apoyos',
    pick: 'Elige una para leerla y apoyarla.',
    next: 'Más propuestas',
    prev: 'Anteriores',
  },
  proposal: {
    notFound: 'No he encontrado esa propuesta.',
    category: 'Categoría: {{category}}',
    supports_one: '👍 {{count}} apoyo',
    supports_other: '👍 {{count}} apoyos',
    youSupport: 'Ya la apoyas.',
    support: 'Apoyar',
    withdraw: 'Retirar mi apoyo',
    backToList: 'Volver a la lista',
  },
  proposalStatus: {
    pending: '⏳ Pendiente de moderación (solo la ves tú).',
    published: '',
    rejected: '✖ No publicada.',
    withdrawn: '✖ Retirada.',
    selected: '🏅 Seleccionada.',
    not_selected: 'No seleccionada.',
    hidden: '⚠ Oculta mientras la revisa el equipo de moderación.',
  },
  support: {
    done_one: '¡Apoyo registrado! Has usado {{used}} de {{limit}} apoyos; te queda {{left}}.',
    done_other: '¡Apoyo registrado! Has usado {{used}} de {{limit}} apoyos; te quedan {{left}}.',
    limitReached_one: 'Ya has usado tu apoyo en este proceso. Si quieres apoyar esta, retira antes el otro.',
    limitReached_other:
      'Ya has usado tus {{count}} apoyos en este proceso. Si quieres apoyar esta, retira antes alguno de los otros.',
    'already-supported': 'Ya apoyas esta propuesta.',
    'not-found': 'Esa propuesta ya no está disponible.',
    'voting-closed': 'Ahora no se pueden apoyar propuestas: solo durante la fase de votación.',
    'not-supported': 'No apoyabas esta propuesta.',
    withdrawn: 'Has retirado tu apoyo.',
  },
  ranking: {
    title: 'Ranking de «{{process}}»:',
    line_one: '{{position}}. {{title}} — {{count}} apoyo',
    line_other: '{{position}}. {{title}} — {{count}} apoyos',
    empty: 'Todavía no hay propuestas en el ranking.',
  },
  propose: {
    closed: 'Ahora no se pueden hacer propuestas en «{{process}}» (fase actual: {{phase}}).',
    intro:
      'Vas a hacer una propuesta en «{{process}}». Te pediré un título, el texto y una categoría, y podrás revisarla antes de enviarla. ' +
      'Escribe «cancelar» para salir.',
    askTitle: 'Escribe el título de tu propuesta ({{min}}–{{max}} caracteres).',
    askBody: 'Ahora explica tu propuesta ({{min}}–{{max}} caracteres): qué cambiarías y por qué.',
    askCategory: '¿En qué categoría encaja mejor?',
    title: {
      tooShort: 'El título es demasiado corto ({{length}} caracteres; mínimo {{min}}).',
      tooLong: 'El título es demasiado largo ({{length}} caracteres; máximo {{max}}).',
    },
    body: {
      tooShort: 'El texto es demasiado corto ({{length}} caracteres; mínimo {{min}}).',
      tooLong: 'El texto es demasiado largo ({{length}} caracteres; máximo {{max}}).',
    },
    preview: 'Así quedará tu propuesta:',
    confirm: '¿La envías?',
    send: 'Enviar propuesta',
    editTitle: 'Cambiar el título',
    editBody: 'Cambiar el texto',
    editCategory: 'Cambiar la categoría',
    discard: 'Descartar',
    discarded: 'Propuesta descartada. No se ha enviado nada.',
    sentPending:
      '¡Recibida! Tu propuesta (#{{id}}) la revisará el equipo de moderación antes de publicarse. Te avisaremos.',
    sentPublished: '¡Publicada! Tu propuesta es la #{{id}}.',
    rejected: {
      'process-not-found': 'Ese proceso ya no existe. No se ha enviado nada.',
      'proposals-closed': 'El plazo de propuestas se ha cerrado. No se ha enviado nada.',
      'invalid-category': 'Esa categoría ya no existe. Vuelve a intentarlo.',
      'title-too-short': 'El título es demasiado corto.',
      'title-too-long': 'El título es demasiado largo.',
      'body-too-short': 'El texto es demasiado corto.',
      'body-too-long': 'El texto es demasiado largo.',
    },
  },
  privacy: {
    withdraw: 'Retirar mi consentimiento',
    confirmWithdraw:
      '¿Seguro que quieres retirar tu consentimiento? Dejarás de poder participar; lo que ya publicaste seguirá publicado.',
    withdrawn: 'Hecho: has retirado tu consentimiento. Si algún día quieres volver, escribe «hola».',
    kept: 'De acuerdo, no cambia nada.',
    notConsented: 'No nos has dado tu consentimiento, así que no hay nada que retirar.',
  },
  language: {
    changed: 'Hablaremos en español.',
  },
};
