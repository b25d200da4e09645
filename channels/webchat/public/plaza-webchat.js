// Starts Microsoft Web Chat against Plaza's own Direct Line (/v3/directline, polling).
// Query string: ?lang=en (default Spanish), ?embed=1 (no header, for an <iframe> on another site).
// The token and conversation are kept in sessionStorage, so a reload in the same tab resumes the
// conversation (history replayed); a new conversation is greeted by posting the `webchat/join` event.
(function () {
  'use strict';

  var params = new URLSearchParams(location.search);
  var lang = params.get('lang') === 'en' ? 'en' : 'es';
  var locale = lang === 'en' ? 'en-US' : 'es-ES';
  var strings = {
    es: {
      title: 'Plaza — participación ciudadana',
      region: 'Conversación con Plaza',
      loading: 'Cargando el chat…',
      failed: 'No hemos podido abrir el chat. Vuelve a intentarlo en unos minutos.',
      busy: 'Ahora mismo se están abriendo muchas conversaciones desde tu conexión. Espera un minuto y recarga la página.',
      expired: 'La sesión ha caducado. Recarga la página para seguir conversando.',
      placeholder: 'Escribe tu mensaje',
    },
    en: {
      title: 'Plaza — citizen participation',
      region: 'Conversation with Plaza',
      loading: 'Loading the chat…',
      failed: 'We could not open the chat. Please try again in a few minutes.',
      busy: 'Too many conversations are being opened from your connection. Wait a minute and reload the page.',
      expired: 'Your session has expired. Reload the page to keep talking.',
      placeholder: 'Type your message',
    },
  }[lang];

  var STORAGE_KEY = 'plaza.webchat.v1.' + lang;
  var status = document.getElementById('status');
  var container = document.getElementById('webchat');
  var meta = document.querySelector('meta[name="plaza-directline"]');
  var domain = new URL((meta && meta.content) || '/v3/directline', location.href).href.replace(/\/+$/, '');

  document.documentElement.lang = lang;
  document.title = strings.title;
  document.getElementById('title').textContent = strings.title;
  container.setAttribute('aria-label', strings.region);
  if (params.get('embed') === '1') document.body.classList.add('embedded');
  setStatus(strings.loading);

  function setStatus(message) {
    status.textContent = message || '';
  }

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');
      return saved && typeof saved.token === 'string' ? saved : null;
    } catch {
      return null;
    }
  }

  function save(session) {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch {
      // Storage full or disabled: the chat still works, it just will not resume after a reload.
    }
  }

  function forget() {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing to do.
    }
  }

  function post(path, token) {
    return fetch(domain + path, {
      method: 'POST',
      headers: token ? { Authorization: 'Bearer ' + token } : {},
    }).then(function (response) {
      if (response.ok) return response.json();
      var error = new Error('HTTP ' + response.status);
      error.status = response.status;
      throw error;
    });
  }

  function userIdOf(token) {
    try {
      var payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload)).user;
    } catch {
      return undefined;
    }
  }

  /** Resumes the tab's conversation with a refreshed token, or starts a new one. */
  function openSession() {
    var saved = load();
    var fresh = function () {
      return post('/tokens/generate').then(function (r) {
        return { token: r.token, conversationId: r.conversationId, userId: r.userId, joined: false };
      });
    };
    if (!saved) return fresh();
    return post('/tokens/refresh', saved.token).then(
      function (r) {
        return { token: r.token, conversationId: r.conversationId, userId: r.userId, joined: !!saved.joined };
      },
      function () {
        forget();
        return fresh();
      },
    );
  }

  function start(session) {
    session.userId = session.userId || userIdOf(session.token);
    save(session);

    var directLine = window.WebChat.createDirectLine({
      token: session.token,
      domain: domain,
      webSocket: false,
    });
    // The client refreshes its token every 15 minutes; keep the stored copy current for a reload.
    var remember = function () {
      if (directLine.token) session.token = directLine.token;
      save(session);
    };
    setInterval(remember, 60 * 1000);
    window.addEventListener('pagehide', remember);

    var store = window.WebChat.createStore({}, function (api) {
      return function (next) {
        return function (action) {
          if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            setStatus('');
            if (!session.joined) {
              session.joined = true;
              remember();
              api.dispatch({
                type: 'WEB_CHAT/SEND_EVENT',
                payload: { name: 'webchat/join', value: { locale: locale } },
              });
            }
          } else if (
            (action.type === 'DIRECT_LINE/CONNECTION_STATUS_UPDATE' &&
              action.payload.connectionStatus === 3) ||
            action.type === 'DIRECT_LINE/CONNECT_REJECTED'
          ) {
            // 3 = ExpiredToken: this conversation cannot continue; a reload starts a new one.
            forget();
            setStatus(strings.expired);
          }
          return next(action);
        };
      };
    });

    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: store,
        locale: locale,
        userID: session.userId,
        overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: strings.placeholder },
        styleOptions: {
          suggestedActionLayout: 'flow',
          hideUploadButton: true,
          sendBoxTextWrap: true,
          botAvatarInitials: 'P',
          rootHeight: '100%',
        },
      },
      container,
    );
    var input = container.querySelector('textarea, input[type="text"]');
    if (input && params.get('embed') !== '1') input.focus();
  }

  if (!window.WebChat || !window.fetch) {
    setStatus(strings.failed);
    return;
  }
  openSession().then(start, function (error) {
    setStatus(error && error.status === 429 ? strings.busy : strings.failed);
  });
})();
