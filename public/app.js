// The signed-in app: sign in by mailed link, upload (drag and drop, with options), my analyses with
// their status and OEE, each opening its report page. Plain DOM text only (never innerHTML), the
// session cookie for every call (same origin), no build step.

const TEXT = {
  en: {
    title: 'Production data analysis',
    signOut: 'Sign out',
    signInTitle: 'Sign in',
    signInHelp: 'We mail you a link; no password.',
    email: 'Email',
    sendLink: 'Send the link',
    linkSent: 'Check your mail: the link signs you in (valid 15 minutes).',
    uploadTitle: 'Analyse a file',
    dropHelp: 'Drop a CSV export or an Excel workbook (.xlsx) here, or choose it.',
    optionsTitle: 'Options (what the file cannot say)',
    optionsHelp: 'JSON, for example {"states": {"3": "unplanned_stop"}}. The report page asks for these too.',
    analyse: 'Analyse',
    listTitle: 'My analyses',
    colFile: 'File',
    colStatus: 'Status',
    colOee: 'OEE',
    colCreated: 'Uploaded',
    empty: 'No analyses yet.',
    open: 'Open report',
    uploading: 'Uploading…',
    uploaded: 'Uploaded: the analysis runs; the list shows when it is ready.',
    optionsInvalid: 'The options are not valid JSON.',
    status: { pending: 'running', completed: 'done', failed: 'failed' },
    notComputable: 'not computable',
    signedInAs: 'Signed in as',
    failedWith: 'Refused',
  },
  de: {
    title: 'Analyse von Produktionsdaten',
    signOut: 'Abmelden',
    signInTitle: 'Anmelden',
    signInHelp: 'Wir mailen Ihnen einen Link; kein Passwort.',
    email: 'E-Mail',
    sendLink: 'Link senden',
    linkSent: 'Sehen Sie in Ihre Mail: der Link meldet Sie an (15 Minuten gültig).',
    uploadTitle: 'Datei auswerten',
    dropHelp: 'CSV-Export oder Excel-Arbeitsmappe (.xlsx) hier ablegen oder auswählen.',
    optionsTitle: 'Optionen (was die Datei nicht sagt)',
    optionsHelp:
      'JSON, zum Beispiel {"states": {"3": "unplanned_stop"}}. Die Berichtsseite fragt auch danach.',
    analyse: 'Auswerten',
    listTitle: 'Meine Analysen',
    colFile: 'Datei',
    colStatus: 'Status',
    colOee: 'OEE',
    colCreated: 'Hochgeladen',
    empty: 'Noch keine Analysen.',
    open: 'Bericht öffnen',
    uploading: 'Wird hochgeladen…',
    uploaded: 'Hochgeladen: die Analyse läuft; die Liste zeigt, wann sie fertig ist.',
    optionsInvalid: 'Die Optionen sind kein gültiges JSON.',
    status: { pending: 'läuft', completed: 'fertig', failed: 'fehlgeschlagen' },
    notComputable: 'nicht berechenbar',
    signedInAs: 'Angemeldet als',
    failedWith: 'Abgelehnt',
  },
};
const lang = (navigator.language || 'en').toLowerCase().startsWith('de') ? 'de' : 'en';
const t = TEXT[lang];
const locale = lang === 'de' ? 'de-DE' : 'en-GB';
const percent = new Intl.NumberFormat(locale, {
  style: 'percent',
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const when = new Intl.DateTimeFormat(locale, {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Berlin',
});
const $ = (id) => document.getElementById(id);
const say = (text) => {
  $('status').textContent = text;
};

async function api(path, init = {}) {
  const response = await fetch(path, {
    credentials: 'same-origin',
    ...init,
    headers: { accept: 'application/json', ...init.headers },
  });
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  return { response, body };
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

let polling;
async function refreshList() {
  const { response, body } = await api('/api/analyses?limit=50');
  if (!response.ok) return;
  const rows = $('rows');
  rows.replaceChildren();
  for (const analysis of body.items) {
    const tr = document.createElement('tr');
    tr.dataset.id = analysis.id;
    tr.append(cell(analysis.fileName));
    tr.append(cell(t.status[analysis.status] ?? analysis.status, analysis.status));
    tr.append(
      cell(
        analysis.status === 'completed'
          ? analysis.oee === null
            ? t.notComputable
            : percent.format(analysis.oee)
          : '–',
        'num',
      ),
    );
    tr.append(cell(when.format(new Date(analysis.createdAt))));
    const open = document.createElement('td');
    const link = document.createElement('a');
    link.href = analysis.reportUrl;
    link.textContent = t.open;
    open.append(link);
    tr.append(open);
    rows.append(tr);
  }
  $('empty').hidden = body.items.length > 0;
  clearTimeout(polling);
  if (body.items.some((analysis) => analysis.status === 'pending')) polling = setTimeout(refreshList, 2000);
}

async function signedIn(user) {
  $('who').textContent = `${t.signedInAs} ${user.email}`;
  $('sign-out').hidden = false;
  $('upload').hidden = false;
  $('analyses').hidden = false;
  await refreshList();
}

function chooseFile(files) {
  if (!files || files.length === 0) return;
  const transfer = new DataTransfer();
  transfer.items.add(files[0]);
  $('file').files = transfer.files;
  $('chosen').textContent = files[0].name;
}

async function start() {
  document.documentElement.lang = lang;
  for (const element of document.querySelectorAll('[data-t]')) {
    const text = t[element.dataset.t];
    if (typeof text === 'string') element.textContent = text;
  }
  const me = await api('/api/me');
  if (me.response.ok) await signedIn(me.body);
  else $('sign-in').hidden = false;

  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const email = new FormData(event.target).get('email');
    const { response, body } = await api('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    say(response.ok ? t.linkSent : `${t.failedWith}: ${body?.detail ?? response.status}`);
  });

  $('sign-out').addEventListener('click', async () => {
    await api('/api/auth/logout', { method: 'POST' });
    location.reload();
  });

  const drop = $('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    chooseFile(event.dataTransfer?.files);
  });
  $('file').addEventListener('change', () => {
    $('chosen').textContent = $('file').files[0]?.name ?? '';
  });

  $('upload-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const options = String(form.get('options') ?? '').trim();
    if (options) {
      try {
        JSON.parse(options);
      } catch {
        say(t.optionsInvalid);
        return;
      }
    } else form.delete('options');
    form.set('lang', lang);
    say(t.uploading);
    const { response, body } = await api('/api/analyses', { method: 'POST', body: form });
    say(response.ok ? t.uploaded : `${t.failedWith}: ${body?.detail ?? response.status}`);
    if (response.ok) {
      event.target.reset();
      $('chosen').textContent = '';
    }
    await refreshList();
  });
}

start();
