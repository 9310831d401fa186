//! The websocket gateway at `/gw?v=10`, plain JSON text frames: HELLO on connect;
//! IDENTIFY → READY and GUILD_CREATE (with another token than the setup's: close
//! 4004, Authentication failed); heartbeat → ACK; RESUME → the missed
//! dispatches, then RESUMED (or INVALID_SESSION for an unknown session). How the bot
//! ends a connection is kept: its close frame's code and reason, or a drop without
//! one.
//!
//! Each connection is one task that owns the socket. Dispatches reach it through an
//! unbounded channel filled under the state lock, so they leave in sequence order.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::http::Uri;
use axum::response::Response;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::objects::check_frame;
use super::state::{Connection, GatewayClose, Outgoing, Shared, World};

pub async fn upgrade(ws: WebSocketUpgrade, uri: Uri, State(shared): State<Arc<Shared>>) -> Response {
    let query = uri.query().unwrap_or("").to_string();
    ws.on_upgrade(move |socket| connection(socket, shared, query))
}

async fn connection(mut socket: WebSocket, shared: Arc<Shared>, query: String) {
    let (frames, mut outgoing) = mpsc::unbounded_channel();
    let (id, heartbeat_interval) = shared.update(|world| {
        if !query.split('&').any(|pair| pair == "v=10") {
            world.violation(format!("gateway: connected with ?{query}, not v=10"));
        }
        world.gateway.connections_opened += 1;
        let interval = world.gateway.heartbeat_interval.as_millis() as u64;
        (world.gateway.connections_opened, interval)
    });
    let mut link = Link {
        id,
        frames,
        authenticated: false,
    };
    link.send(json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": heartbeat_interval}}));
    loop {
        tokio::select! {
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Text(text))) => shared.update(|world| link.receive(world, text.as_str())),
                Some(Ok(Message::Binary(_))) => shared.update(|world| {
                    world.violation("gateway: a binary frame (the fake speaks plain JSON)".into());
                }),
                Some(Ok(Message::Close(frame))) => {
                    let close = match frame {
                        Some(frame) => GatewayClose { code: Some(frame.code), reason: frame.reason.to_string() },
                        // A close frame without a status reads as 1005 (RFC 6455).
                        None => GatewayClose { code: Some(1005), reason: String::new() },
                    };
                    shared.update(|world| world.gateway.closes.push(close));
                    break;
                }
                Some(Err(_)) | None => {
                    let dropped = GatewayClose { code: None, reason: String::new() };
                    shared.update(|world| world.gateway.closes.push(dropped));
                    break;
                }
                Some(Ok(_)) => {}
            },
            frame = outgoing.recv() => match frame {
                Some(Outgoing::Text(text)) => {
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(Outgoing::Close(code, reason)) => {
                    let frame = CloseFrame { code, reason: reason.into() };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    break;
                }
                None => break,
            },
        }
    }
    shared.update(|world| {
        if world.gateway.connection.as_ref().is_some_and(|c| c.id == id) {
            world.gateway.connection = None;
        }
    });
}

/// One connection as the state sees it.
struct Link {
    id: u64,
    frames: mpsc::UnboundedSender<Outgoing>,
    authenticated: bool,
}

impl Link {
    /// Sends a frame that is not a dispatch (HELLO, ACK, INVALID_SESSION).
    fn send(&self, frame: Value) {
        check_frame(&frame);
        let _ = self.frames.send(Outgoing::Text(frame.to_string()));
    }

    fn close(&self, world: &mut World, code: u16, reason: &'static str, why: String) {
        world.violation(format!("gateway: {why}"));
        let _ = self.frames.send(Outgoing::Close(code, reason));
    }

    fn receive(&mut self, world: &mut World, text: &str) {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            return self.close(world, 4002, "Decode error", format!("not JSON: {text}"));
        };
        match frame["op"].as_u64() {
            Some(1) => {
                world.gateway.heartbeats += 1;
                self.send(json!({"op": 11, "s": null, "t": null, "d": null}));
            }
            Some(2) => self.identify(world, &frame["d"]),
            Some(3) => {}
            Some(6) => self.resume(world, &frame["d"]),
            _ => self.close(world, 4001, "Unknown opcode", format!("unexpected frame {text}")),
        }
    }

    fn identify(&mut self, world: &mut World, d: &Value) {
        if self.authenticated {
            return self.close(world, 4005, "Already authenticated", "IDENTIFY twice".into());
        }
        // The bot's token, as given or after "Bot " (Discord takes both).
        let token = d["token"].as_str().unwrap_or("");
        let expected = &world.setup.token;
        if token.strip_prefix("Bot ").unwrap_or(token) != expected || expected.is_empty() {
            return self.close(
                world,
                4004,
                "Authentication failed",
                "IDENTIFY with a token that is not the bot's".into(),
            );
        }
        let Some(intents) = d["intents"].as_u64() else {
            return self.close(
                world,
                4013,
                "Invalid intent(s)",
                "IDENTIFY without intents".into(),
            );
        };
        if !d["properties"].is_object() {
            return self.close(world, 4002, "Decode error", "IDENTIFY without properties".into());
        }
        self.authenticated = true;
        let gateway = &mut world.gateway;
        gateway.token = Some(token.to_string());
        gateway.intents = intents;
        gateway.sessions += 1;
        gateway.session_id = Some(format!("fake-session-{}", gateway.sessions));
        gateway.seq = 0;
        gateway.sent.clear();
        gateway.connection = Some(Connection {
            id: self.id,
            frames: self.frames.clone(),
        });
        let setup = &world.setup;
        let mut bot = world.user_json(setup.bot_id).expect("the bot");
        bot["verified"] = json!(true);
        bot["mfa_enabled"] = json!(false);
        let ready = json!({
            "v": 10,
            "user": bot,
            "guilds": [{"id": setup.guild_id.to_string(), "unavailable": true}],
            "session_id": world.gateway.session_id,
            "resume_gateway_url": world.gateway_url,
            "shard": d.get("shard").cloned().unwrap_or(Value::Null),
            "application": {"id": setup.application_id.to_string(), "flags": 0},
        });
        world.dispatch("READY", ready);
        let guild = world.guild_json();
        world.dispatch("GUILD_CREATE", guild);
        world.gateway.ready = true;
    }

    fn resume(&mut self, world: &mut World, d: &Value) {
        let gateway = &world.gateway;
        let known = gateway.session_id.is_some()
            && d["session_id"].as_str() == gateway.session_id.as_deref()
            && d["token"].as_str() == gateway.token.as_deref();
        if !known {
            // Discord forgets sessions too; the client must identify again.
            return self.send(json!({"op": 9, "s": null, "t": null, "d": false}));
        }
        self.authenticated = true;
        let from = d["seq"].as_u64().unwrap_or(0);
        for (_, frame) in gateway.sent.iter().filter(|(seq, _)| *seq > from) {
            let _ = self.frames.send(Outgoing::Text(frame.clone()));
        }
        world.gateway.connection = Some(Connection {
            id: self.id,
            frames: self.frames.clone(),
        });
        world.gateway.resumes += 1;
        world.dispatch("RESUMED", json!({}));
    }
}
