// The whole frontend side of bbb-interface access tokens: no build step, no library, no app secret.
// Open this page as index.html#token=<access token>[&gateway=<gateway URL>] and it joins at once.
const JOIN_QUERY = 'query JoinUrl($input: JoinMeetingInput!) { joinUrl(input: $input) }';

const $ = (id) => document.getElementById(id);
const status = (text) => {
  $('status').textContent = text;
};

/** The token's claims (not a check: only the gateway can verify the token). The meeting ID is in it. */
function claimsOf(token) {
  const part = token.split('.')[1] || '';
  return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
}

async function join(gateway, token, name) {
  const claims = claimsOf(token);
  const input = { meetingId: claims.meeting };
  if (!claims.name && name) input.name = name;
  status('Asking the gateway for a join link…');
  const res = await fetch(new URL('/graphql', gateway), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: JOIN_QUERY, variables: { input } }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`${body.errors[0].extensions?.code}: ${body.errors[0].message}`);
  status('Joining…');
  window.location.assign(body.data.joinUrl);
}

function start(event) {
  if (event) event.preventDefault();
  const gateway = $('gateway').value.trim() || window.location.origin;
  const token = $('token').value.trim();
  join(gateway, token, $('name').value.trim()).catch((err) => {
    // A gateway that does not allow this page's origin (CORS) shows up here as a network error.
    status(`Could not join: ${err.message}`);
  });
}

$('join').addEventListener('submit', start);

// The fragment is never sent to a server, so the token reaches no access log; it is removed from the address bar too.
const params = new URLSearchParams(window.location.hash.slice(1));
if (params.get('gateway')) $('gateway').value = params.get('gateway');
if (params.get('token')) {
  $('token').value = params.get('token');
  history.replaceState(null, '', window.location.pathname + window.location.search);
  start();
}
