// Spanish (default). Keys ending in _one/_other are plurals chosen by `count`.
export const es = {
  common: {
    yes: 'Sí',
    no: 'No',
    backToMenu: 'Menú',
    back: 'Volver',
    whatNext: '¿Qué quieres hacer ahora?',
    retryChoice: 'No te he entendido. Pulsa un botón o escribe el número de la opción.',
    retryConfirm: 'No te he entendido. Contesta «sí» o «no».',
  },
  engine: {
    badLink: 'Ese enlace no lleva a ninguna propuesta ni a ningún proceso: puede que esté incompleto.',
    hello: '¡Hola! 👋',
    privateOnly: 'Solo puedo atenderte en una conversación privada. Escríbeme directamente para participar.',
    editsIgnored: 'No puedo ver los mensajes editados. Envía un mensaje nuevo, por favor.',
    buttonExpired: 'Ese botón ya no es válido. Te repito la pregunta actual:',
    buttonExpiredNothing: 'Ese botón ya no es válido. Escribe «menú» para ver qué puedes hacer.',
    error:
      'Lo siento, algo ha fallado por nuestra parte. No se ha perdido nada de lo que ya tenías guardado. Escribe «menú» para seguir.',
    slowDown: 'Vas muy rápido 🙂 Espera unos segundos antes de enviar más mensajes.',
    onlyText: 'Por ahora solo entiendo mensajes de texto y botones.',
    attachmentIgnored: 'No puedo ver imágenes ni archivos; he leído el texto que los acompaña.',
    tooLong: 'Ese mensaje es demasiado largo (máximo {{max}} caracteres). ¿Puedes acortarlo?',
    unsupported: 'Por ahora solo entiendo mensajes de texto y botones.',
    cancelled: 'Cancelado. No se ha enviado nada.',
    cancelledBeforeConsent: 'De acuerdo. No hemos guardado nada. Cuando quieras empezar, escribe «hola».',
  },
  /** The channel's own command menu (Telegram's «/» button): one line per command. */
  commandMenu: {
    menu: 'Volver al inicio',
    help: 'Qué puedo hacer y cómo pedírmelo',
    privacy: 'Leer el aviso de privacidad',
    myData: 'Ver, descargar o borrar tus datos',
    link: 'Vincular tu cuenta de la web y la de Telegram',
    language: 'Cambiar de idioma',
    stop: 'Dejar de recibir novedades de los procesos',
    cancel: 'Dejar lo que estás haciendo',
  },
  help: {
    text:
      'Con Plaza puedes leer los procesos de participación, hacer propuestas y apoyar las que te gusten.\n\n' +
      'Puedes pulsar los botones o escribir el número de la opción. En cualquier momento puedes escribir:\n' +
      '• «menú» para volver al inicio\n• «cancelar» para dejar lo que estás haciendo\n' +
      '• «privacidad» para leer el aviso de privacidad\n• «mis datos» para ver y descargar lo que guardamos de ti\n' +
      '• «retirar consentimiento» para dejar de participar\n' +
      '• «vincular» para unir tus cuentas de Telegram y del chat web\n' +
      '• «baja» para dejar de recibir novedades de los procesos\n• «idioma» para cambiar de idioma',
    beforeConsent:
      'Soy Plaza, el canal de participación ciudadana. Para participar necesito tu consentimiento; ' +
      'escribe «privacidad» para leer el aviso completo o «cancelar» para salir.',
  },
  onboarding: {
    hello: '¡Hola! 👋 Soy Plaza, el canal de participación ciudadana.',
    chooseLanguage: '¿En qué idioma prefieres hablar? / Which language do you prefer?',
    // Asked before the language is known: both languages, as the question itself.
    retryLanguage: "No te he entendido: pulsa un botón. / Sorry, I didn't get that: press a button.",
    intro: 'Aquí puedes hacer propuestas a la administración y apoyar las que más te gusten.',
    noticeTitle: 'Antes de empezar, lo básico sobre tus datos:',
    askAge: '¿Tienes 14 años o más?',
    confirmUnderAge: 'Solo para confirmar: ¿tienes menos de 14 años?',
    under14: 'Tengo menos de 14',
    over14: 'Tengo 14 o más',
    underAge:
      'Gracias por tu interés. En España solo pueden dar su consentimiento por sí mismas las personas de 14 años o más, ' +
      'así que no podemos registrarte. No guardamos ningún dato tuyo: solo esta conversación recordará tu respuesta durante un día. ' +
      'Pide a tu madre, padre o tutor que te ayude a participar.',
    underAgeRemembered:
      'Nos dijiste que tienes menos de 14 años, así que todavía no puedes participar por tu cuenta. ' +
      'Puedes leer el aviso de privacidad (escribe «privacidad»). Pide a tu madre, padre o tutor que te ayude a participar.',
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
  // The broadcast that tells a process's subscribers a phase opens (the message's header names the process).
  phaseAnnouncement: {
    opens: '🗓️ Empieza la fase «{{phase}}», hasta el {{until}}.',
    canPropose: '✏️ Ya puedes hacer propuestas.',
    canSupport: '👍 Ya puedes apoyar las propuestas que te gusten.',
  },
  processes: {
    none: 'Ahora mismo no hay ningún proceso de participación.',
    notFound: 'No he encontrado ese proceso.',
    choose: '¿Qué proceso quieres ver?',
    more: 'Más procesos',
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
  moderation: {
    kind: { proposal: 'Propuesta', comment: 'Comentario' },
    header: '{{icon}} {{case}} #{{caseId}} · {{kind}} #{{id}} · {{process}}',
    case: 'Caso',
    onComment: 'en la propuesta #{{proposalId}}',
    reasonSubmitted_pre: 'Nueva, pendiente de publicar',
    reasonSubmitted_preDecided: 'Nueva (moderación previa)',
    reasonSubmitted_post: 'Ya publicada (post-moderación)',
    reasonReported: 'Denunciada {{count}} veces y oculta: {{reasons}}',
    findings: '🔎 Revisión automática:',
    noFindings: '🔎 Revisión automática: nada que señalar.',
    notYetScreened: '🔎 Revisión automática: pendiente.',
    finding: {
      personalData: '• Datos personales: {{what}} (se pueden redactar)',
      personalDataDecided: '• Datos personales: {{what}}',
      insult: '• Posibles insultos: {{words}}',
      shouting: '• Escrito en MAYÚSCULAS',
      repeated: '• Caracteres repetidos',
      nearDuplicate: '• Parecida a: {{matches}}',
    },
    personalData: { phone: 'teléfono', email: 'correo', dni: 'DNI', nie: 'NIE', iban: 'IBAN' },
    button: {
      approve: '✅ Aprobar',
      keep: '✅ Mantener',
      restore: '✅ Restaurar',
      reject: '❌ Rechazar',
      takeDown: '❌ Retirar',
      redact: '✂️ Redactar y aprobar',
    },
    outcome: {
      approve: '✅ Aprobada por {{who}}',
      reject: '❌ Rechazada por {{who}}. Motivo: {{reason}}',
      redact_approve: '✂️ Redactada y aprobada por {{who}}',
    },
    someone: 'alguien',
    reason: {
      'personal-data': 'Contiene datos personales',
      insults: 'Insultos o faltas de respeto',
      duplicate: 'Repetida: ya existe una igual',
      'off-topic': 'No trata del proceso',
      spam: 'Publicidad o spam',
      other: 'Otro motivo (escribirlo)',
      cancel: 'Cancelar',
    },
    askReason: '{{who}}, ¿por qué se rechaza el caso #{{id}}?',
    askReasonText: '{{who}}, escribe el motivo en un mensaje (lo leerá la persona autora).',
    reasonTooLong: 'El motivo es demasiado largo (máximo {{max}} caracteres).',
    cancelled: 'De acuerdo, el caso #{{id}} sigue pendiente.',
    done: 'Hecho: caso #{{id}}.',
    alreadyDecided: '{{who}} ya decidió el caso #{{id}} ({{decision}}).',
    alreadyDecidedByYou: 'El caso #{{id}} ya está decidido ({{decision}}).',
    confirmReason: '{{who}}, ¿rechazo el caso #{{id}} con este motivo?\n«{{reason}}»',
    confirmReject: 'Rechazar',
    questionExpired:
      'La pregunta sobre el caso #{{id}} ha caducado. Para rechazarlo, pulsa otra vez ❌ en su tarjeta.',
    decisionName: { approve: 'aprobada', reject: 'rechazada', redact_approve: 'redactada y aprobada' },
    notModerator:
      'Solo el equipo de moderación registrado puede decidir. Pide que te den de alta con «plaza moderators add {{id}}».',
    notFound: 'No encuentro el caso #{{id}}.',
    nothingToRedact: 'El caso #{{id}} no tiene datos personales que redactar.',
    notYours: 'Ese botón no es para ti o ya no vale.',
    queueEmpty: 'No hay nada pendiente de moderar. 🎉',
    queueTitle_one: '{{count}} caso pendiente, el más antiguo primero:',
    queueTitle_other: '{{count}} casos pendientes, el más antiguo primero:',
    queueLine: '#{{id}} · {{kind}} · hace {{age}} · {{excerpt}}',
    queueMore: '…y {{count}} más.',
    erased: '🗑️ Caso #{{id}} retirado: la persona autora borró sus datos.',
    withdrawnByAuthor:
      '↩️ Caso #{{id}} retirado: la persona autora retiró su propuesta antes de la decisión.',
    superseded:
      '🚩 Caso #{{id}} cerrado sin decisión: las denuncias ocultaron el contenido antes de la revisión; se revisa en un caso nuevo, como denuncia.',
    supersededBy:
      '🚩 Caso #{{id}} cerrado sin decisión: las denuncias ocultaron el contenido antes de la revisión; se revisa como denuncia en el caso #{{next}}.',
    help: 'Aquí llegan las propuestas y comentarios pendientes de moderar, con la revisión automática. Pulsa Aprobar, Rechazar (te pediré el motivo) o Redactar y aprobar (quita los datos personales). Escribe /cola para ver lo pendiente.',
  },
  notice: {
    outcome: {
      yours: {
        selected: '🏅 ¡Tu propuesta «{{title}}» ha sido seleccionada!',
        notSelected: 'Tu propuesta «{{title}}» no ha sido seleccionada. Gracias por participar.',
        answered: '📝 Tu propuesta «{{title}}» tiene respuesta de la administración.',
      },
      followed: {
        selected: '🏅 La propuesta «{{title}}», que apoyas o sigues, ha sido seleccionada.',
        notSelected: 'La propuesta «{{title}}», que apoyas o sigues, no ha sido seleccionada.',
        answered: '📝 La propuesta «{{title}}», que apoyas o sigues, tiene respuesta de la administración.',
      },
      answer: 'Respuesta: {{answer}}',
    },
    broadcast: '📣 {{process}}\n\n{{text}}',
    published: '✅ Tu propuesta «{{title}}» ya está publicada. ¡Gracias por participar!',
    rejected: '✖ Tu propuesta «{{title}}» no se ha publicado. Motivo: {{reason}}',
    redacted:
      '✅ Tu propuesta «{{title}}» ya está publicada. Hemos quitado los datos personales que contenía.',
    restored: '✅ Tu propuesta «{{title}}» vuelve a estar visible tras la revisión.',
    takenDown: '✖ Tu propuesta «{{title}}» se ha retirado. Motivo: {{reason}}',
    commentPublished: '✅ Tu comentario en «{{title}}» ya está publicado.',
    commentRejected: '✖ Tu comentario en «{{title}}» no se ha publicado. Motivo: {{reason}}',
    commentRedacted:
      '✅ Tu comentario en «{{title}}» ya está publicado, sin los datos personales que contenía.',
    commentRestored: '✅ Tu comentario en «{{title}}» vuelve a estar visible tras la revisión.',
    commentTakenDown: '✖ Tu comentario en «{{title}}» se ha retirado. Motivo: {{reason}}',
    newComment: '💬 Nuevo comentario en «{{title}}»: «{{excerpt}}»',
    open: 'Escribe «menú» para verla.',
  },
  retention: {
    warning:
      '⏳ Hace mucho que no te vemos por aquí. Para no guardar datos más tiempo del necesario, borramos los de quien no participa en {{days}} días: los tuyos se borrarán a partir del {{date}}, salvo que nos escribas cualquier cosa antes (basta con un «hola»).\n\nSi se borran, tus propuestas y comentarios públicos se quedan, pero sin nada que los relacione contigo, y tus apoyos siguen contando, de forma anónima. Todo lo demás (tu cuenta, suscripciones, seguimientos e inscripciones) desaparece.',
    cameBack:
      '👋 ¡Qué bien verte de nuevo! Como hacía mucho que no participabas, íbamos a borrar tus datos a partir del {{date}} (lo hacemos tras {{days}} días sin actividad). Al escribirnos los conservamos.',
  },
  progress: {
    title: '📣 Difusión #{{id}} · {{status}}',
    status: { scheduled: 'programada', sending: 'enviándose', done: 'terminada', cancelled: 'cancelada' },
    bar: '{{bar}} {{percent}} %',
    figures:
      'Enviados: {{sent}} (en la web aún sin ver: {{waiting}}) · Fallidos: {{failed}} · Bloqueados: {{blocked}} · Omitidos: {{skipped}} · Quedan: {{remaining}}',
    rate: 'Ritmo: {{rate}} mensajes/s · Tiempo restante: {{eta}}',
    rateIdle: 'Ritmo: —',
    summary:
      '✅ Difusión #{{id}} terminada. Destinatarios: {{recipients}} · Enviados: {{sent}} (en la web aún sin ver: {{waiting}}) · Fallidos: {{failed}} · Bloqueados: {{blocked}} · Omitidos: {{skipped}}',
    cancelledSummary:
      '✖ Difusión #{{id}} cancelada: {{sent}} enviados antes de cancelarla, de {{recipients}}.',
  },
  proposalStatus: {
    pending: '⏳ Pendiente de moderación (solo la ves tú).',
    published: '',
    rejected: '✖ No publicada.',
    takenDown: '✖ Retirada por el equipo de moderación.',
    withdrawn: '✖ Retirada.',
    selected: '🏅 Seleccionada.',
    not_selected: 'No seleccionada.',
    hidden: '⚠ Oculta mientras la revisa el equipo de moderación.',
  },
  comments: {
    open: 'Comentarios ({{count}})',
    header: '💬 Comentarios sobre «{{title}}»:',
    headerPaged: '💬 Comentarios sobre «{{title}}» (página {{page}} de {{pages}}):',
    none: 'Todavía no hay comentarios sobre «{{title}}».',
    line: '{{n}}. {{author}}: {{body}}',
    replyLine: '    ↳ {{n}}. {{author}}: {{body}}',
    pendingLine: '⏳ {{author}} (pendiente de moderación; solo lo ves tú): {{body}}',
    pendingReplyLine: '    ↳ ⏳ {{author}} (pendiente de moderación; solo lo ves tú): {{body}}',
    someone: 'Participante',
    you: 'Tú',
    whatNext: 'Puedes escribir un comentario, o responder o denunciar uno por su número.',
    whatNextEmpty: '¿Quieres escribir el primero?',
    write: 'Escribir un comentario',
    reply: 'Responder a uno',
    report: 'Denunciar uno',
    next: 'Más comentarios',
    prev: 'Anteriores',
    backToProposal: 'Volver a la propuesta',
    pickReply: '¿A qué comentario respondes?',
    pickReport: '¿Qué comentario quieres denunciar?',
    quoted: '«{{text}}»',
    pickTyped: 'Escribe su número (del 1 al {{max}}) o «volver».',
    noSuchNumber: 'No hay ningún comentario con ese número en esta página.',
    back: 'Volver',
    askBody:
      'Escribe tu comentario ({{min}}–{{max}} caracteres). Lo podrá leer todo el mundo, sin tu nombre. Escribe «cancelar» para salir.',
    askReply:
      'Escribe tu respuesta al comentario {{n}} ({{min}}–{{max}} caracteres). Lo podrá leer todo el mundo, sin tu nombre.',
    tooShort: 'El comentario es demasiado corto ({{length}} caracteres; mínimo {{min}}).',
    tooLong: 'El comentario es demasiado largo ({{length}} caracteres; máximo {{max}}).',
    preview: 'Así quedará tu comentario:',
    previewReply: 'Así quedará tu respuesta al comentario {{n}}:',
    confirm: '¿Lo envías?',
    send: 'Enviar',
    edit: 'Cambiar el texto',
    discard: 'Descartar',
    discarded: 'Comentario descartado. No se ha enviado nada.',
    sentPending:
      '¡Recibido! Tu comentario se publicará cuando lo revise el equipo de moderación. Hasta entonces solo lo ves tú.',
    sentPublished: '¡Publicado! Tu comentario ya lo puede leer todo el mundo.',
    rejected: {
      'proposal-not-found': 'Esta propuesta ya no admite comentarios. No se ha enviado nada.',
      'parent-not-found':
        'Ese comentario ya no está disponible, así que no se puede responder. No se ha enviado nada.',
      'body-too-short': 'El comentario es demasiado corto. No se ha enviado nada.',
      'body-too-long': 'El comentario es demasiado largo. No se ha enviado nada.',
      'no-consent': 'Para comentar necesitamos tu consentimiento. Escribe «hola» para darlo.',
    },
  },
  report: {
    proposal: 'Denunciar',
    what: {
      proposal: 'esta propuesta',
      comment: 'el comentario {{n}}',
    },
    askReason: '¿Por qué quieres denunciar {{what}}?',
    reasons: {
      insults: 'Insultos o faltas de respeto',
      'personal-data': 'Datos personales',
      spam: 'Spam o publicidad',
      'off-topic': 'No trata del tema',
      other: 'Otro motivo',
    },
    cancel: 'No denunciar',
    confirm: '¿Denuncias {{what}} por «{{reason}}»? El equipo de moderación recibirá tu aviso.',
    cancelled: 'De acuerdo, no se ha enviado ninguna denuncia.',
    done: 'Gracias por avisar. El equipo de moderación revisará {{what}}.',
    hidden:
      'Gracias por avisar. Hemos ocultado {{what}} mientras el equipo de moderación revisa las denuncias.',
    'already-reported':
      'Ya habías denunciado {{what}}. Gracias: tu aviso ya está con el equipo de moderación.',
    'own-item': 'No puedes denunciar algo que has escrito tú.',
    'not-found': 'Ya no se puede denunciar {{what}}: no está disponible.',
    'invalid-reason': 'Ese motivo no es válido. Elige uno de la lista.',
  },
  follow: {
    follow: 'Seguir los comentarios',
    unfollow: 'Dejar de seguir',
    following: '🔔 Sigues sus comentarios.',
    done: 'Hecho: te avisaremos cuando haya comentarios nuevos en esta propuesta.',
    already: 'Ya seguías los comentarios de esta propuesta.',
    stopped: 'Hecho: ya no te avisaremos de los comentarios nuevos de esta propuesta.',
    notFollowing: 'No seguías los comentarios de esta propuesta.',
    'not-allowed': 'Solo pueden seguir los comentarios quien hizo la propuesta y quienes la apoyan.',
    'not-found': 'Esa propuesta ya no está disponible.',
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
    'verification-required':
      'Este proceso es vinculante: para apoyar propuestas, primero verifica tu participación con el código de invitación o de censo que te hayan dado. Puedes seguir leyendo y comentando.',
    'not-supported': 'No apoyabas esta propuesta.',
    withdrawn: 'Has retirado tu apoyo.',
  },
  // Binding processes: the code a participant types to be allowed to support (after support.verification-required).
  verification: {
    askCode:
      'Si tienes tu código, escríbelo ahora, tal como aparece en tu carta o invitación. Si no, escribe «cancelar».',
    askAgain: 'Escribe el código de nuevo, o «cancelar» para dejarlo por ahora.',
    notACode:
      'Eso no parece un código: tienen al menos 8 letras o números (con o sin los guiones y espacios que lleven), tal como aparecen en tu carta o invitación.',
    later:
      'De acuerdo. Cuando tengas tu código, vuelve a pulsar «Apoyar». Mientras, puedes seguir leyendo y comentando.',
    done: '✅ Listo: has verificado tu participación en este proceso.',
    'code-wrong': 'Ese código no es de este proceso. Revisa que esté bien escrito.',
    'code-used':
      'Ese código ya se ha usado: cada código vale para una sola persona. Si lo usaste tú desde tu otra cuenta (Telegram o el chat web), escribe «vincular» para unir las dos y quedarán verificadas. Si en tu casa compartís una carta, pide el tuyo a quien organiza el proceso.',
    'too-many-attempts_one':
      'Has probado varios códigos seguidos. Por seguridad, espera {{count}} minuto y vuelve a intentarlo. Mientras, puedes seguir leyendo y comentando.',
    'too-many-attempts_other':
      'Has probado varios códigos seguidos. Por seguridad, espera {{count}} minutos y vuelve a intentarlo. Mientras, puedes seguir leyendo y comentando.',
    paused:
      'Ahora mismo la verificación de este proceso está en pausa por seguridad: ha habido muchos intentos fallidos. Vuelve a probar más tarde (en unos minutos o, si los intentos siguen, mañana); tu código sigue valiendo. Mientras, puedes seguir leyendo y comentando.',
    'not-found': 'Ese proceso ya no está disponible.',
  },
  ranking: {
    title: 'Ranking de «{{process}}»:',
    line_one: '{{position}}. {{title}} — {{count}} apoyo',
    line_other: '{{position}}. {{title}} — {{count}} apoyos',
    empty: 'Todavía no hay propuestas en el ranking.',
    more: 'Hay más propuestas en el ranking.',
    next: 'Ver más',
  },
  // Once a process's voting has closed: the ranking with each proposal's outcome, in text and as a chart.
  results: {
    title: 'Resultados de «{{process}}» (la votación ha terminado):',
    line_one: '{{position}}. {{title}} — {{count}} apoyo · {{outcome}}',
    line_other: '{{position}}. {{title}} — {{count}} apoyos · {{outcome}}',
    answer: '   Respuesta oficial: {{answer}}',
    more_one: 'Y 1 propuesta más.',
    more_other: 'Y {{count}} propuestas más.',
    empty: 'La votación de «{{process}}» ha terminado sin propuestas.',
    outcome: {
      selected: '🏅 seleccionada',
      not_selected: 'no seleccionada',
      undecided: 'pendiente de decisión',
    },
    chart: {
      title: 'Resultados de «{{process}}»',
      axis: 'Apoyos',
      selected: 'Seleccionada',
      not_selected: 'No seleccionada',
      undecided: 'Pendiente de decisión',
    },
  },
  outcomes: {
    menu: '¿Qué pasó con mi propuesta?',
    none: 'Todavía no has hecho ninguna propuesta. Cuando hagas una, aquí verás qué pasa con ella.',
    header: 'Tus propuestas ({{from}}–{{to}} de {{total}}):',
    item: '{{n}}. «{{title}}» — {{process}}',
    status: 'Estado: {{status}}',
    statuses: {
      pending: '⏳ pendiente de moderación',
      published: 'publicada, todavía sin resultado',
      rejected: '✖ no publicada',
      withdrawn: 'retirada',
      selected: '🏅 seleccionada',
      not_selected: 'no seleccionada',
      hidden: '⚠ oculta mientras la revisa el equipo de moderación',
      takenDown: '✖ retirada por el equipo de moderación',
    },
    reason: 'Motivo: {{reason}}',
    answer: 'Respuesta de la administración: {{answer}}',
    commitments: 'Compromisos:',
    commitment: '• {{title}} — {{status}}, {{progress}} %',
    commitmentDue: '• {{title}} — {{status}}, {{progress}} %, fecha prevista: {{date}}',
    noCommitments: 'Todavía no hay ningún compromiso sobre ella.',
    next: 'Más propuestas',
    prev: 'Anteriores',
    withdraw: 'Retirar «{{title}}»',
    withdrawConfirm:
      '¿Retiras tu propuesta «{{title}}»? Todavía no se ha publicado: si la retiras, no se publicará ni se revisará. No se puede deshacer.',
    withdrawKept: 'De acuerdo, tu propuesta sigue pendiente de moderación.',
    withdrawn: 'Hecho: has retirado tu propuesta «{{title}}». No se publicará.',
    withdrawTooLate: 'Ya no se puede retirar: el equipo de moderación acaba de revisarla. Así está ahora:',
  },
  commitments: {
    menu: 'Compromisos',
    none: '«{{process}}» todavía no tiene compromisos.',
    header: 'Compromisos de «{{process}}» ({{from}}–{{to}} de {{total}}):',
    line: '{{n}}. {{title}}\n   {{department}} · {{status}} · {{progress}} %',
    due: '   Fecha prevista: {{date}}',
    latest: '   Última novedad ({{date}}): {{note}}',
    pick: 'Elige uno para ver su historial.',
    status: { planned: 'previsto', in_progress: 'en marcha', done: 'cumplido', cancelled: 'cancelado' },
    next: 'Más compromisos',
    prev: 'Anteriores',
    backToList: 'Volver a la lista',
    notFound: 'Ese compromiso ya no está disponible.',
    detail: {
      department: 'Responsable: {{department}}',
      state: 'Estado: {{status}} · {{progress}} %',
      due: 'Fecha prevista: {{date}}',
      evidence: 'Pruebas: {{evidence}}',
      proposals: 'Responde a: {{titles}}',
      history: 'Historial:',
      historyLine: '{{date}} — {{status}} · {{progress}} %',
      historyNote: '{{date}} — {{status}} · {{progress}} % — {{note}}',
    },
    notice: {
      created: {
        yours: '🏗 Nuevo compromiso sobre tu propuesta «{{proposal}}»: «{{title}}» ({{department}}).',
        followed:
          '🏗 Nuevo compromiso sobre la propuesta «{{proposal}}», que apoyas o sigues: «{{title}}» ({{department}}).',
      },
      changed: {
        yours: '🏗 Novedades del compromiso «{{title}}» sobre tu propuesta «{{proposal}}».',
        followed:
          '🏗 Novedades del compromiso «{{title}}» sobre la propuesta «{{proposal}}», que apoyas o sigues.',
      },
      state: 'Estado: {{status}} · {{progress}} %',
      due: 'Fecha prevista: {{date}}',
      note: 'Novedad: {{note}}',
    },
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
    resumed:
      'Seguimos con la propuesta que dejaste a medias: «{{title}}». Antes de enviarla podrás cambiarla o descartarla.',
    untitled: 'sin título todavía',
    sentPending:
      '¡Recibida! Tu propuesta (#{{id}}) la revisará el equipo de moderación antes de publicarse. Te avisaremos.',
    sentPublished: '¡Publicada! Tu propuesta es la #{{id}}.',
    rejected: {
      'process-not-found': 'Ese proceso ya no existe. No se ha enviado nada.',
      'proposals-closed': 'El plazo de propuestas se ha cerrado. No se ha enviado nada.',
      'invalid-category': 'Esa categoría ya no existe. Elige otra: el título y el texto se mantienen.',
      'title-too-short': 'El título es demasiado corto.',
      'title-too-long': 'El título es demasiado largo.',
      'body-too-short': 'El texto es demasiado corto.',
      'body-too-long': 'El texto es demasiado largo.',
    },
  },
  subscriptions: {
    subscribe: 'Recibir novedades de este proceso',
    unsubscribe: 'Dejar de recibir novedades',
    askConsent:
      '¿Quieres que te enviemos novedades de este proceso (fases, resultados)? ' +
      'Puedes darte de baja cuando quieras escribiendo «baja».',
    declined: 'De acuerdo, no te enviaremos novedades.',
    subscribed: 'Hecho: te enviaremos las novedades de «{{process}}».',
    alreadySubscribed: 'Ya recibes las novedades de «{{process}}».',
    unsubscribed: 'Hecho: ya no recibirás novedades de «{{process}}».',
    notSubscribed: 'No recibías novedades de «{{process}}».',
    unavailable: 'Ahora mismo no podemos apuntarte a las novedades. Inténtalo más tarde.',
    processNotFound: 'Ese proceso ya no existe.',
    menu: 'Mis suscripciones',
    none: 'No recibes novedades de ningún proceso. Puedes suscribirte desde la página de cada proceso.',
    list: 'Recibes novedades de estos procesos:',
    pick: 'Pulsa uno para dejar de recibir sus novedades, o escribe «baja» para dejarlas todas.',
    stopped:
      'Ya no recibirás novedades de ningún proceso ni avisos de comentarios nuevos en las propuestas que seguías. Puedes volver a suscribirte desde cada proceso.',
    nothingToStop: 'No tienes ninguna suscripción, así que no hay nada de lo que darte de baja.',
  },
  broadcast: {
    onlyStaff:
      'Solo el personal de la administración puede enviar difusiones, desde su chat privado de Telegram con el bot.',
    noProcesses: 'No hay ningún proceso al que enviar una difusión.',
    help: 'Estás preparando una difusión: contesta a la pregunta, o escribe «cancelar» para salir sin enviar nada.',
    intro:
      'Vas a preparar una difusión para las personas suscritas a un proceso. Verás una vista previa antes de enviarla. ' +
      'Escribe «cancelar» en cualquier momento para salir sin enviar nada.',
    chooseProcess: '¿Para las personas suscritas a qué proceso?',
    chooseProcessHint:
      'También puedes escribir el slug de cualquier proceso (el identificador de su enlace, como «presupuestos-2027»).',
    more: 'Más procesos',
    processNotFound: 'No hay ningún proceso con el slug «{{slug}}».',
    askAudience: '¿A quién se la envías, de entre las personas suscritas a «{{process}}»?',
    audience: {
      all: 'A todas',
      es: 'Solo en español',
      en: 'Solo en inglés',
      telegram: 'Solo en Telegram',
      webchat: 'Solo en el chat web',
    },
    askSpanish:
      'Escribe el texto en español (obligatorio, máximo {{max}} caracteres). Es el que recibirá quien no tenga texto en su idioma.',
    askEnglish:
      'Ahora, si quieres, el texto en inglés (máximo {{max}} caracteres). Si no, pulsa «{{skip}}» y quien hable inglés lo recibirá en español.',
    skip: 'Omitir',
    tooLong: 'El texto es demasiado largo ({{length}} caracteres; máximo {{max}}).',
    preview: 'Vista previa: así lo recibirán.',
    previewIn: {
      es_one: '— En español ({{count}} persona):',
      es_other: '— En español ({{count}} personas):',
      en_one: '— En inglés ({{count}} persona):',
      en_other: '— En inglés ({{count}} personas):',
    },
    previewFallback_one: '— En inglés ({{count}} persona), sin texto en inglés: recibirá el de español.',
    previewFallback_other: '— En inglés ({{count}} personas), sin texto en inglés: recibirán el de español.',
    recipients_one: 'Ahora mismo lo recibiría {{count}} persona: {{channels}}.',
    recipients_other: 'Ahora mismo lo recibirían {{count}} personas: {{channels}}.',
    channelCount: {
      telegram: '{{count}} en Telegram',
      webchat: '{{count}} en el chat web',
    },
    webchatNote: 'En el chat web lo verán la próxima vez que escriban.',
    nobody: 'Ahora mismo no lo recibiría nadie: ninguna persona suscrita encaja con esa selección.',
    askAnyway: '¿Sigues igualmente o cancelas?',
    anyway: 'Seguir igualmente',
    cancel: 'Cancelar',
    askWhen: '¿Cuándo la envías?',
    now: 'Enviar ahora',
    schedule: 'Programar',
    askTime: 'Escribe el día y la hora del envío, por ejemplo «28/11 18:30» (hora de {{timeZone}}).',
    when: {
      format:
        'No entiendo esa fecha. Escribe el día/mes y la hora, por ejemplo «28/11 18:30», o con el año: «28/11/2026 18:30».',
      'no-such-date':
        'Esa fecha u hora no existe (un día que el mes no tiene, o una hora que se salta el cambio de hora). Revísala.',
      'in-the-past':
        'Esa fecha y hora ya han pasado. Escribe una futura; si es del año que viene, pon el año: «28/11/2026 18:30».',
    },
    confirmNow_one: 'Se enviará ahora a {{count}} persona suscrita a «{{process}}». ¿La envías?',
    confirmNow_other: 'Se enviará ahora a {{count}} personas suscritas a «{{process}}». ¿La envías?',
    confirmScheduled_one:
      'Se enviará el {{when}} (hora de {{timeZone}}) a quienes estén suscritos a «{{process}}» en ese momento; ahora es {{count}} persona. ¿La programas?',
    confirmScheduled_other:
      'Se enviará el {{when}} (hora de {{timeZone}}) a quienes estén suscritos a «{{process}}» en ese momento; ahora son {{count}} personas. ¿La programas?',
    send: 'Enviar',
    confirmSchedule: 'Programar el envío',
    started: 'Difusión #{{id}} en marcha. Verás su progreso en este chat.',
    scheduled:
      'Difusión #{{id}} programada para el {{when}}. Verás su progreso en este chat cuando empiece a enviarse.',
    cancelled: 'Difusión cancelada. No se ha enviado nada.',
    rejected: {
      'not-allowed':
        'Tu cuenta del personal no está activa o no puede enviar difusiones. No se ha enviado nada.',
      'process-not-found': 'Ese proceso ya no existe. No se ha enviado nada.',
      'spanish-text-required': 'Falta el texto en español. No se ha enviado nada.',
      'text-too-long': 'El texto es demasiado largo (máximo {{max}} caracteres). No se ha enviado nada.',
      'invalid-audience': 'Esa selección de destinatarios no es válida. No se ha enviado nada.',
      'in-the-past':
        'La hora programada ya ha pasado. No se ha enviado nada: vuelve a empezar con /difundir.',
    },
    timePassed:
      'La hora que elegiste ha pasado mientras confirmabas. Tus textos se mantienen: elige de nuevo cuándo enviarla.',
  },
  events: {
    menu: 'Talleres y eventos',
    kind: { workshop: 'Taller', results_event: 'Presentación de resultados' },
    none: '«{{process}}» no tiene talleres ni eventos próximos.',
    list: 'Talleres y eventos de «{{process}}»:',
    line: '{{n}}. {{kind}}: {{title}}\n🗓 {{when}}\n📍 {{place}}\n{{places}}',
    placesLeft_one: '🎟 Queda {{count}} plaza',
    placesLeft_other: '🎟 Quedan {{count}} plazas',
    full: '🎟 Completo: lista de espera',
    youAreRegistered: '✅ Tienes plaza',
    youAreWaiting: '⏳ Estás en la lista de espera (puesto {{position}})',
    pick: 'Pulsa uno para apuntarte, o mira tus inscripciones.',
    mine: 'Mis inscripciones',
    confirmRegister: '¿Te apunto a «{{title}}» ({{when}}, {{place}})?',
    confirmWaitlist:
      'No quedan plazas en «{{title}}» ({{when}}). ¿Te apunto a la lista de espera? Si se libera una plaza, te avisaremos.',
    registered:
      '✅ Hecho: tienes plaza en «{{title}}», {{when}}, en {{place}}. Te lo recordaremos el día antes.',
    waitlisted:
      '⏳ Hecho: estás en la lista de espera de «{{title}}» (puesto {{position}}). Si se libera una plaza, te avisaremos.',
    alreadyRegistered: 'Ya tienes plaza en «{{title}}».',
    alreadyWaitlisted: 'Ya estás en la lista de espera de «{{title}}» (puesto {{position}}).',
    alreadyInRegistered:
      'Ya tienes plaza en «{{title}}» ({{when}}, {{place}}). ¿Quieres cancelar tu inscripción?',
    alreadyInWaiting:
      'Estás en la lista de espera de «{{title}}» (puesto {{position}}). ¿Quieres salir de ella?',
    cancelMine: 'Cancelar mi inscripción',
    backToList: 'Volver a la lista',
    notRegistered: 'De acuerdo, no te apunto.',
    unavailable: 'Ese evento ya no admite inscripciones (se ha cancelado o ya ha empezado).',
    notConsented:
      'No podemos inscribirte: has retirado tu consentimiento para participar. Si quieres volver, escribe «hola».',
    myNone: 'No tienes inscripciones en talleres ni eventos próximos.',
    myList: 'Tus inscripciones:',
    myLine: '{{n}}. {{title}}\n🗓 {{when}}\n📍 {{place}}\n{{status}}',
    pickCancel: 'Pulsa una si quieres cancelarla.',
    confirmCancel: '¿Cancelo tu inscripción en «{{title}}» ({{when}})?',
    cancelled:
      'Hecho: has cancelado tu inscripción en «{{title}}». Gracias por avisar: tu plaza pasa a otra persona.',
    cancelledWaiting: 'Hecho: has salido de la lista de espera de «{{title}}».',
    kept: 'De acuerdo, mantienes tu inscripción.',
    notCancelled: 'No tenías inscripción en «{{title}}», o el evento ya ha empezado.',
    notice: {
      reminder:
        '⏰ Recordatorio: tienes plaza en «{{title}}», {{when}}, en {{place}}. Si no puedes ir, cancela tu inscripción en «Talleres y eventos» para dejar la plaza a otra persona.',
      changed: '📅 Cambios en «{{title}}»: ahora es {{when}}, en {{place}}.',
      cancelled: '✖ Se ha cancelado «{{title}}» ({{when}}). Sentimos las molestias.',
      reason: 'Motivo: {{reason}}',
      promoted:
        '🎉 Se ha liberado una plaza y es para ti: te esperamos en «{{title}}», {{when}}, en {{place}}.',
    },
  },
  privacy: {
    withdraw: 'Retirar mi consentimiento',
    confirmWithdraw:
      '¿Seguro que quieres retirar tu consentimiento? Dejarás de poder participar y de recibir novedades, y se cancelarán tus inscripciones en talleres o eventos próximos; lo que ya publicaste seguirá publicado.',
    withdrawn: 'Hecho: has retirado tu consentimiento. Si algún día quieres volver, escribe «hola».',
    registrationsEnded_one: 'También hemos cancelado tu inscripción en {{count}} taller o evento próximo.',
    registrationsEnded_other:
      'También hemos cancelado tus inscripciones en {{count}} talleres o eventos próximos.',
    kept: 'De acuerdo, no cambia nada.',
    notConsented: 'No nos has dado tu consentimiento, así que no hay nada que retirar.',
  },
  language: {
    changed: 'Hablaremos en español.',
  },
  noticeUpdate: {
    changed: 'Hemos actualizado el aviso de privacidad (versión {{version}}). Esto es lo esencial:',
    accept:
      '¿Lo aceptas para seguir participando? Puedes leerlo entero con «privacidad» o retirar tu consentimiento con «retirar consentimiento».',
    accepted: 'Gracias: has aceptado el nuevo aviso de privacidad.',
    declined:
      'De acuerdo. Hasta que lo aceptes no puedes seguir participando; puedes leerlo («privacidad»), ver tus datos («mis datos») o retirar tu consentimiento («retirar consentimiento»). Te lo volveremos a preguntar.',
  },
  eraseMe: {
    warning:
      '¿Borrar tus datos? Se borrarán tus cuentas, tus suscripciones, tus inscripciones y todo lo que no se publicó. Lo que publicaste seguirá visible sin tu nombre y tus apoyos seguirán contando, sin relación contigo. No se puede deshacer.',
    typeWord: 'Para confirmarlo, escribe BORRAR.',
    notTheWord: 'Escribe exactamente BORRAR para confirmar, o «cancelar» para no borrar nada.',
    done: 'Hecho: hemos borrado tus datos. Si vuelves a escribir, empezaremos de cero. Gracias por participar.',
  },
  linkAccounts: {
    menu: 'Vincular cuentas',
    explain:
      'Si participas desde Telegram y desde el chat web, puedes unir las dos cuentas: así eres una sola persona y cada apoyo cuenta una vez.',
    whatNow: '¿Qué quieres hacer?',
    show: 'Mostrar un código aquí',
    type: 'Tengo un código',
    code: 'Tu código es {{code}}. Escríbelo tú en el otro canal antes de 10 minutos (no se lo des a nadie): abre Plaza allí, elige «Vincular cuentas» y luego «Tengo un código». Después volverás aquí para confirmarlo.',
    askCode:
      'Escribe el código de 6 cifras que te mostró el otro canal. Escribe solo un código que hayas pedido tú: si alguien te da uno, no lo escribas.',
    notACode: 'El código tiene 6 cifras, como 123 456.',
    claimed:
      'Correcto. Para terminar, vuelve {{channelTo}} y escribe allí este número: {{digits}}. Tienes 10 minutos. Escríbelo tú y no se lo des a nadie: quien lo tenga puede unir tu cuenta a la suya.',
    wrong:
      'Ese código no sirve: puede que esté mal escrito, que haya caducado o que ya se haya usado. Puedes pedir uno nuevo en el otro canal.',
    ownCode:
      'Ese código lo pediste desde esta misma cuenta: escríbelo en el otro canal. Si tus cuentas ya están unidas, no hace falta hacer nada.',
    tooMany: 'Has probado demasiados códigos. Espera 10 minutos y vuelve a intentarlo.',
    paused:
      'Por seguridad, la vinculación de cuentas está en pausa unos minutos. Vuelve a intentarlo más tarde.',
    confirmAsk:
      'Alguien ha escrito tu código de vinculación {{channelIn}}. Si fuiste tú, escribe aquí el número de dos cifras que te mostró. Si no fuiste tú, escribe NO y no se unirá nada.',
    confirmFormat: 'Escribe el número de dos cifras que te mostró el otro canal, o NO.',
    linked:
      'Hecho: ahora eres una sola persona {{hereIn}} y {{otherIn}}. Tus propuestas, apoyos y suscripciones están juntos, y cada apoyo cuenta una vez.',
    droppedLimit_one: '{{count}} apoyo por persona',
    droppedLimit_other: '{{count}} apoyos por persona',
    dropped_one:
      'Entre las dos cuentas superabas el límite de {{limit}} en «{{process}}», que está en votación, así que hemos quitado tu apoyo más reciente: {{proposals}}.',
    dropped_other:
      'Entre las dos cuentas superabas el límite de {{limit}} en «{{process}}», que está en votación, así que hemos quitado tus {{count}} apoyos más recientes: {{proposals}}.',
    droppedTitle: '«{{title}}»',
    droppedElsewhere: 'Tus cuentas ya están unidas: eres una sola persona en los dos canales.',
    digitsWrong:
      'Ese número no coincide. Por seguridad, el código ya no sirve y no se ha unido nada. Si eras tú, pide un código nuevo.',
    refused: 'De acuerdo: no se ha unido nada a tu cuenta y ese código ya no sirve.',
    noClaim: 'Ya no hay nada que confirmar: el código caducó o ya se usó.',
    needsConsent: 'Para vincular tus cuentas, primero acepta participar en este canal.',
    channelIn: { telegram: 'en Telegram', webchat: 'en el chat web', other: 'en otro canal' },
    channelTo: { telegram: 'a Telegram', webchat: 'al chat web', other: 'al otro canal' },
  },
  myData: {
    menu: 'Mis datos',
    nothing: 'No guardamos ningún dato tuyo: aún no has participado.',
    title: 'Esto es lo que Plaza guarda sobre ti:',
    accounts: '• Tus cuentas: {{channels}}',
    language: '• Tu idioma: {{locale}}',
    channelName: { telegram: 'Telegram', webchat: 'chat web' },
    localeName: { es: 'español', en: 'inglés' },
    fileName: 'plaza-datos-{{day}}.json',
    consents: '• Consentimientos vigentes: {{given}}',
    none: 'ninguno',
    counts:
      '• Propuestas: {{proposals}} · apoyos: {{supports}} · comentarios: {{comments}} · suscripciones: {{subscriptions}} · seguimientos: {{follows}} · inscripciones a talleres: {{registrations}}',
    purpose: {
      participation: 'participar',
      updates: 'recibir novedades',
    },
    download: 'Descargar mis datos',
    withdraw: 'Retirar un consentimiento',
    erase: 'Borrar mis datos',
    downloadReady:
      'Aquí tienes todos tus datos en un archivo JSON (lo puedes abrir con cualquier editor de texto).',
    whichPurpose: '¿Qué consentimiento quieres retirar?',
    confirmUpdates:
      '¿Dejar de recibir novedades? Te darás de baja de todos los procesos y no te avisaremos de las propuestas que apoyas o sigues. ' +
      'Sí te seguiremos avisando de tus propias propuestas, tus inscripciones a talleres y tus datos.',
    updatesWithdrawn: 'Hecho: ya no recibirás novedades. Puedes volver a suscribirte cuando quieras.',
  },
};
