//! `myorg mcp`: the assistant as a Model Context Protocol server over standard input
//! and output, for Claude Desktop, Claude Code, Cursor and other MCP clients.
//!
//! A thin adapter over the agent's tool [`Registry`]: the same tools, descriptions
//! and JSON Schemas (`tools.rs` turns them into MCP tools with their annotations and
//! an [`Outcome`] into a tool result), run as the configured `[user]` with `via` =
//! `mcp` (commits say `Requested-by: NAME (mcp)`). A destructive tool's change is
//! applied only when the person says yes through the client (`confirm.rs`, MCP
//! elicitation); the model never confirms.
//!
//! Standard output is the protocol; logs go to standard error (`logs.rs`).

mod confirm;
mod tools;

use crate::agent::tools::{Outcome, Registry};
use crate::app::{App, Caller};
use crate::clock::Clock;
use crate::config::Config;
use crate::store::{Actor, Store};
use anyhow::Context;
use chrono::NaiveDateTime;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ProtocolVersion, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

/// The newest protocol revision served: the last with the `initialize` handshake and
/// server-to-client requests (elicitation).
pub const PROTOCOL: ProtocolVersion = ProtocolVersion::V_2025_11_25;

/// `myorg mcp`: serves the protocol on standard input and output until the client
/// closes them; the clock starts at `now` (`--now`) when given.
pub fn run(config: &Config, now: Option<NaiveDateTime>) -> anyhow::Result<()> {
    let clock = Clock::new(now, config.store_timezone()?);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let served = runtime.block_on(async {
        let settings = config.store_settings();
        let on_wait = Box::new(|| tracing::warn!("another process is writing to the store; waiting"));
        let store = tokio::task::spawn_blocking(move || Store::open_with(settings, on_wait))
            .await
            .context("opening the store")??;
        let app = Arc::new(App::new(Arc::new(config.clone()), Arc::new(store), clock)?);
        let server = Server::new(app)?;
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .context("starting the MCP session")?;
        running.waiting().await.context("serving MCP")?;
        anyhow::Ok(())
    });
    // Reading standard input blocks a thread that is not waited for.
    runtime.shutdown_timeout(Duration::from_millis(500));
    served
}

/// The MCP server: the registry's tools, run as one person.
pub struct Server {
    app: Arc<App>,
    registry: Arc<Registry>,
    caller: Caller,
    tools: Vec<Tool>,
}

impl Server {
    /// The server over `app`, acting as the configured `[user]`.
    pub fn new(app: Arc<App>) -> anyhow::Result<Server> {
        let user = app.config.user();
        let caller = Caller {
            handle: app.config.me()?.handle,
            actor: Actor {
                name: user.name,
                email: user.email,
                via: "mcp".to_string(),
            },
            channel: "mcp".to_string(),
        };
        let registry = Registry::new();
        let tools = tools::listed(&registry);
        Ok(Server {
            app,
            registry: Arc::new(registry),
            caller,
            tools,
        })
    }

    /// Runs `work` as the person at the current time, on the blocking pool.
    async fn run(
        &self,
        work: impl FnOnce(&Registry, &crate::app::Ctx) -> Outcome + Send + 'static,
    ) -> Outcome {
        let registry = Arc::clone(&self.registry);
        let ran = self
            .app
            .run(&self.caller, self.app.now(), move |ctx| work(&registry, ctx))
            .await;
        ran.unwrap_or_else(|error| {
            tracing::error!(%error, "a tool call stopped");
            Outcome::Failed("the tool stopped unexpectedly; nothing more was done".to_string())
        })
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_protocol_version(PROTOCOL)
            .with_server_info(Implementation::new("myorg", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "The person's todo.txt, calendar, projects, notes and files, kept in git: \
                 every change is one commit authored by them. Deleting, overwriting and \
                 undoing ask them to confirm first.",
            )
    }

    fn supported_protocol_versions(&self) -> Cow<'static, [ProtocolVersion]> {
        Cow::Borrowed(ProtocolVersion::known_up_to(&PROTOCOL))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.clone()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|tool| tool.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        tracing::info!(tool = %name, "mcp tool call");
        let arguments = serde_json::Value::Object(request.arguments.unwrap_or_default());
        let called = name.clone();
        let outcome = self
            .run(move |registry, ctx| registry.call(ctx, &called, &arguments))
            .await;
        let result: CallToolResult = match outcome {
            Outcome::NeedsConfirmation(pending) => match confirm::ask(&context.peer, &pending).await {
                confirm::Answer::Yes => {
                    let confirmed = self
                        .run(move |registry, ctx| registry.confirm(ctx, &pending))
                        .await;
                    tools::result(confirmed)
                }
                not_yes => tools::not_done(&not_yes.said(&pending.preview)),
            },
            outcome => tools::result(outcome),
        };
        Ok(result.into())
    }
}
