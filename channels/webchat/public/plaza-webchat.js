// Starts Microsoft Web Chat against Plaza's own Direct Line (/v3/directline, polling).
// Query string: ?lang=en or ?lang=es (without it, the browser's preferred languages, else Spanish), ?embed=1
// (no header, for an <iframe> on another site). That language is the bot's first guess (sent with the
// `webchat/join` event that greets a new conversation); afterwards the page follows the language the bot
// answers in (the `locale` of its messages), so its header, input and Web Chat's own texts change when the
// person picks another language. The token, conversation and language are kept in sessionStorage, so a
// reload in the same tab resumes the conversation (history replayed).
// Web Chat's Direct Line client stops polling for good after one failed poll that is not a 403 or 404 (the
// server restarted, a network blip, a 503 while a store is down), and says nothing: every later message would
// look unsent. So a failed poll is watched for (watchPolling): the page says it is reconnecting, asks the
// Direct Line until it answers again, and then reloads — which resumes this tab's conversation with its whole
// transcript; the text being typed is kept across the reload.
(function () {
  'use strict';

  var params = new URLSearchParams(location.search);
  var LOCALES = { es: 'es-ES', en: 'en-US' };
  var TEXTS = {
    es: {
      title: 'Plaza — participación ciudadana',
      region: 'Conversación con Plaza',
      loading: 'Cargando el chat…',
      failed: 'No hemos podido abrir el chat. Vuelve a intentarlo en unos minutos.',
      busy: 'Ahora mismo se están abriendo muchas conversaciones desde tu conexión. Espera un minuto y recarga la página.',
      expired: 'La sesión ha caducado. Recarga la página para seguir conversando.',
      reconnecting: 'Se ha perdido la conexión. Reconectando… (lo que escribiste no se pierde)',
      placeholder: 'Escribe tu mensaje',
    },
    en: {
      title: 'Plaza — citizen participation',
      region: 'Conversation with Plaza',
      loading: 'Loading the chat…',
      failed: 'We could not open the chat. Please try again in a few minutes.',
      busy: 'Too many conversations are being opened from your connection. Wait a minute and reload the page.',
      expired: 'Your session has expired. Reload the page to keep talking.',
      reconnecting: 'The connection was lost. Reconnecting… (what you typed is kept)',
      placeholder: 'Type your message',
    },
  };

  /** 'es' or 'en' for a language tag (es-ES, en-GB, EN…), undefined for any other language. */
  function langOf(tag) {
    var primary = typeof tag === 'string' ? tag.slice(0, 2).toLowerCase() : '';
    return LOCALES[primary] ? primary : undefined;
  }

  function browserLang() {
    var preferred =
      navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (var i = 0; i < preferred.length; i++) {
      var found = langOf(preferred[i]);
      if (found) return found;
    }
    return 'es';
  }

  var lang = langOf(params.get('lang')) || browserLang();
  var strings = TEXTS[lang];
  // One conversation per starting language in a tab, as before the page followed the bot's language.
  var STORAGE_KEY = 'plaza.webchat.v1.' + lang;
  // The send box's text across a reconnecting reload.
  var DRAFT_KEY = 'plaza.webchat.v1.draft';
  var status = document.getElementById('status');
  var container = document.getElementById('webchat');
  var meta = document.querySelector('meta[name="plaza-directline"]');
  var domain = new URL((meta && meta.content) || '/v3/directline', location.href).href.replace(/\/+$/, '');

  if (params.get('embed') === '1') document.body.classList.add('embedded');
  applyLang(lang);
  setStatus(strings.loading);

  /** The page's own texts in `next` ('es' | 'en'). */
  function applyLang(next) {
    lang = next;
    strings = TEXTS[next];
    document.documentElement.lang = next;
    document.title = strings.title;
    document.getElementById('title').textContent = strings.title;
    container.setAttribute('aria-label', strings.region);
  }

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

  /**
   * Resumes the tab's conversation with a refreshed token, or starts a new one. Only a token Plaza refuses
   * (401, 403, 404) starts anew; Plaza unreachable or busy (a network error, 5xx) is a failure to open,
   * and the conversation stays saved for the next try.
   */
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
        return {
          token: r.token,
          conversationId: r.conversationId,
          userId: r.userId,
          // A conversation Plaza no longer keeps (its Redis restarted empty) is greeted anew, in the
          // language the person had chosen.
          joined: !!saved.joined && r.started !== false,
          lang: saved.lang,
        };
      },
      function (error) {
        var status = error && error.status;
        if (status !== 401 && status !== 403 && status !== 404) throw error;
        forget();
        return fresh();
      },
    );
  }

  /** Notices a failed poll (see the top): `onStalled` is called once for it. */
  function watchPolling(directLine, onStalled) {
    var services = directLine.services;
    if (!services || typeof services.ajax !== 'function') return;
    var ajax = services.ajax;
    services.ajax = function (request) {
      var response = ajax.apply(this, arguments);
      var polling = request && request.method === 'GET' && /\/activities\?/.test(String(request.url));
      if (!polling || !response || typeof response.do !== 'function') return response;
      return response.do(null, function (error) {
        var status = error && error.status;
        // 403 (token expired) and 404 (conversation gone) the client handles itself.
        if (status !== 403 && status !== 404) onStalled();
      });
    };
  }

  /** Asks the Direct Line, from 1 s to 30 s apart, until it answers; then reloads, keeping the draft. */
  function reconnect(session, directLine, draft) {
    setStatus(strings.reconnecting);
    var wait = 1000;
    var attempt = function () {
      var url =
        domain +
        '/conversations/' +
        encodeURIComponent(session.conversationId) +
        '/activities?watermark=' +
        encodeURIComponent(directLine.watermark || '');
      fetch(url, { headers: { Authorization: 'Bearer ' + session.token }, cache: 'no-store' })
        .then(function (response) {
          // 403 or 404: the conversation cannot go on anyway; the reload says so or starts a new one.
          if (!response.ok && response.status !== 403 && response.status !== 404) throw new Error();
          try {
            var text = draft();
            if (text) sessionStorage.setItem(DRAFT_KEY, text);
          } catch {
            // Storage full or disabled: the draft is lost with the reload, the conversation is not.
          }
          location.reload();
        })
        .catch(function () {
          wait = Math.min(wait * 2, 30000);
          setTimeout(attempt, wait);
        });
    };
    setTimeout(attempt, wait);
  }

  function start(session) {
    session.userId = session.userId || userIdOf(session.token);
    if (langOf(session.lang) && session.lang !== lang) applyLang(session.lang);
    session.lang = lang;
    save(session);
    var joinLocale = LOCALES[lang];

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
    var sendBoxText = '';
    var stalled = false;
    watchPolling(directLine, function () {
      if (stalled) return;
      stalled = true;
      remember();
      reconnect(session, directLine, function () {
        return sendBoxText;
      });
    });

    var store = window.WebChat.createStore({}, function (api) {
      return function (next) {
        return function (action) {
          if (action.type === 'WEB_CHAT/SET_SEND_BOX') {
            sendBoxText = (action.payload && action.payload.text) || '';
          } else if (action.type === 'DIRECT_LINE/CONNECT_FULFILLED') {
            if (!stalled) setStatus('');
            // What was being typed when the connection was lost, back in the send box.
            var draft = null;
            try {
              draft = sessionStorage.getItem(DRAFT_KEY);
              sessionStorage.removeItem(DRAFT_KEY);
            } catch {
              // Nothing kept.
            }
            if (draft)
              setTimeout(function () {
                api.dispatch({ type: 'WEB_CHAT/SET_SEND_BOX', payload: { text: draft } });
              }, 0);
            if (!session.joined) {
              session.joined = true;
              remember();
              api.dispatch({
                type: 'WEB_CHAT/SEND_EVENT',
                payload: { name: 'webchat/join', value: { locale: joinLocale } },
              });
            }
          } else if (action.type === 'DIRECT_LINE/INCOMING_ACTIVITY') {
            // The bot's messages carry the conversation's language: follow it when the person changes it.
            var activity = action.payload && action.payload.activity;
            var spoken = activity && activity.from && activity.from.role === 'bot' && langOf(activity.locale);
            if (spoken && spoken !== lang) {
              applyLang(spoken);
              session.lang = spoken;
              save(session);
              // Not while Web Chat is dispatching: render again once this action has gone through.
              setTimeout(render, 0);
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

    // Called again when the language changes: Web Chat re-renders in place, transcript and connection kept.
    function render() {
      window.WebChat.renderWebChat(
        {
          directLine: directLine,
          store: store,
          locale: LOCALES[lang],
          userID: session.userId,
          overrideLocalizedStrings: { TEXT_INPUT_PLACEHOLDER: strings.placeholder },
          styleOptions: {
            suggestedActionLayout: 'flow',
            // A long menu scrolls within 40 % of the height instead of hiding the conversation (a phone with
            // its keyboard open, 400 % zoom: WCAG 1.4.10).
            suggestedActionsFlowMaxHeight: '40vh',
            hideUploadButton: true,
            sendBoxTextWrap: true,
            botAvatarInitials: 'P',
            rootHeight: '100%',
          },
        },
        container,
      );
    }
    render();
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
