// The browser agent phone: signs the agent in through the agent API (HTTP Basic, then a bearer token), sets their
// state, shows their offers from the agent WebSocket, and registers with SIP.js over the edge's secure WebSocket
// (RFC 7118) to answer them with WebRTC; the edge's rtpengine turns DTLS-SRTP and ICE into plain RTP to the nodes.
import { Web } from "/phone/vendor/sip.js/index.js";

const $ = (id) => document.getElementById(id);

const session = { token: null, tenant: null, agentId: null, sip: null, socket: null };

function fail(error) {
  console.error(error);
  $("error").textContent = String(error && error.message ? error.message : error);
}

async function call(method, path, body, authorization) {
  const headers = { Authorization: authorization || "Bearer " + session.token };
  if (body) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (!response.ok) {
    throw new Error(method + " " + path + ": " + response.status + " " + (await response.text()));
  }
  return response.status === 204 ? null : response.json();
}

function showStatus(status) {
  $("state").textContent = status.state;
}

/** wss://host:port of the edge and the SIP domain the edge answers for (see tandem.phone.* on the node). */
async function edge() {
  const settings = await (await fetch("/phone/settings")).json();
  const server = settings.edgeWssUri || "wss://" + location.hostname + ":8443";
  const domain = settings.sipDomain || new URL(server.replace(/^wss:/, "https:")).host;
  return { server, domain };
}

async function register(password) {
  const { server, domain } = await edge();
  const sip = new Web.SimpleUser(server, {
    aor: "sip:" + session.agentId + "@" + domain,
    media: { remote: { audio: $("remote-audio") } },
    userAgentOptions: {
      authorizationUsername: session.agentId,
      authorizationPassword: password,
      displayName: session.agentId,
    },
    delegate: {
      onRegistered: () => { $("registration").textContent = "registered"; },
      onUnregistered: () => { $("registration").textContent = "not registered"; },
      onServerDisconnect: (error) => { $("registration").textContent = "disconnected"; if (error) fail(error); },
      onCallReceived: () => {
        $("call").hidden = false;
        $("answer").hidden = false;
        $("call-status").textContent = "Ringing";
      },
      onCallAnswered: () => {
        $("answer").hidden = true;
        $("call-status").textContent = "Connected";
      },
      onCallHangup: () => {
        $("call").hidden = true;
        $("offer").hidden = true;
        $("call-status").textContent = "";
      },
    },
  });
  await sip.connect();
  await sip.register();
  session.sip = sip;
}

function listen() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(scheme + "//" + location.host + "/ws/agent?token=" + encodeURIComponent(session.token));
  socket.addEventListener("message", (message) => {
    const envelope = JSON.parse(message.data);
    if (envelope.type === "offer") {
      $("offer").hidden = false;
      $("offer-queue").textContent = envelope.payload.queueName || envelope.payload.queue;
      $("offer-caller").textContent = envelope.payload.callerName || envelope.payload.callerNumber;
    } else if (envelope.type === "offer.ended") {
      $("offer").hidden = true;
    } else if (envelope.payload && envelope.payload.state && envelope.payload.agentId === session.agentId) {
      showStatus(envelope.payload);
    }
  });
  session.socket = socket;
}

async function signIn(event) {
  event.preventDefault();
  $("error").textContent = "";
  const login = $("agent").value.trim();
  const password = $("password").value;
  const result = await call("POST", "/api/v1/agents/login", null, "Basic " + btoa(login + ":" + password));
  session.token = result.token;
  session.tenant = result.tenant;
  session.agentId = result.agentId;
  $("me").textContent = result.displayName || result.agentId;
  showStatus(result.status);
  $("sign-in").hidden = true;
  $("desk").hidden = false;
  listen();
  await register(password);
}

async function change(state, reason) {
  showStatus(await call("PUT", "/api/v1/agents/me/state", { state, reason }));
}

async function signOut() {
  if (session.sip) {
    await session.sip.unregister();
    await session.sip.disconnect();
  }
  if (session.socket) {
    session.socket.close();
  }
  await call("DELETE", "/api/v1/agents/me");
  location.reload();
}

$("sign-in").addEventListener("submit", (event) => signIn(event).catch(fail));
$("available").addEventListener("click", () => change("available", "").catch(fail));
$("not-ready").addEventListener("click", () => change("not-ready", "").catch(fail));
$("sign-out").addEventListener("click", () => signOut().catch(fail));
$("answer").addEventListener("click", () => session.sip.answer().catch(fail));
$("hang-up").addEventListener("click", () => session.sip.hangup().catch(fail));
