//! The assistant as a Model Context Protocol server, for Claude Desktop, Claude Code,
//! Cursor and other MCP clients: `myorg mcp` over standard input and output, and
//! `/mcp` of `myorg run` over streamable HTTP (`http.rs`).
//!
//! A thin adapter over the agent's tool [`Registry`]: the same tools, descriptions
//! and JSON Schemas (`tools.rs` turns them into MCP tools with their annotations and
//! an [`Outcome`] into a tool result), run with `via` = `mcp` (commits say
//! `Requested-by: NAME (mcp)`): over stdio as the configured `[user]`, over HTTP as
//! the person whose bearer token each request carries. A destructive tool's change is
//! applied only when the person says yes through the client (`confirm.rs`, MCP
//! elicitation); the model never confirms. The store's documents are read-only
//! resources and filtered task lists a resource template (`resources.rs`), the
//! briefings prompts (`prompts.rs`), on both transports.
//!
//! Over stdio, standard output is the protocol; logs go to standard error (`logs.rs`).

mod confirm;
mod http;
mod prompts;
mod resources;
mod tools;

pub use http::router;

use crate::agent::tools::{Outcome, Registry};
use crate::app::{App, Caller, Ctx, briefing, documents, tasks, tokens};
use crate::clock::Clock;
use crate::config::Config;
use crate::store::Store;
use anyhow::Context;
use chrono::NaiveDateTime;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, GetPromptRequestParams, GetPromptResponse,
    Implementation, ListPromptsResult, ListResourceTemplatesResult, ListResourcesResult, ListToolsResult,
    PaginatedRequestParams, ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse,
    ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

/// The newest protocol revision served: the last with the `initialize` handshake and
/// server-to-client requests (elicitation).
pub const PROTOCOL: ProtocolVersion = ProtocolVersion::V_2025_11_25;

/// `myorg mcp`: serves the protocol on standard input and output until the client
/// closes them; the clock starts at `now` (`--now`) when given.
pub fn run(config: &Config, now: Option<NaiveDateTime>) -> anyhow::Result<()> {
    Registry::new().check_directives(config)?;
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

/// What commits made through MCP say they came through.
const VIA: &str = "mcp";

/// The MCP server: the registry's tools, run as the person asking.
#[derive(Clone)]
pub struct Server {
    app: Arc<App>,
    registry: Arc<Registry>,
    /// Who every request is from (stdio); `None`: each HTTP request says who, through
    /// the [`Caller`] its bearer token was found to speak for.
    caller: Option<Caller>,
    tools: Arc<Vec<Tool>>,
}

impl Server {
    /// The server over `app`, acting as the configured `[user]`.
    pub fn new(app: Arc<App>) -> anyhow::Result<Server> {
        let caller = tokens::as_user(&app.config, VIA)?;
        let mut server = Server::for_each_request(app);
        server.caller = Some(caller);
        Ok(server)
    }

    /// The server over `app`, acting as each request's [`Caller`] (put in the HTTP
    /// request's extensions by `http.rs`).
    fn for_each_request(app: Arc<App>) -> Server {
        let registry = Registry::new();
        let tools = tools::listed(&registry);
        Server {
            app,
            registry: Arc::new(registry),
            caller: None,
            tools: Arc::new(tools),
        }
    }

    /// Who asks: the HTTP request's caller, else the one the server acts as; a request
    /// that says no one is refused.
    fn caller(&self, context: &RequestContext<RoleServer>) -> Result<Caller, ErrorData> {
        context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Caller>())
            .or(self.caller.as_ref())
            .cloned()
            .ok_or_else(|| ErrorData::invalid_request("the request does not say who asks", None))
    }

    /// Runs `work` as `caller` at the current time, on the blocking pool.
    async fn run(
        &self,
        caller: &Caller,
        work: impl FnOnce(&Registry, &crate::app::Ctx) -> (Outcome, Option<Value>) + Send + 'static,
    ) -> (Outcome, Option<Value>) {
        let registry = Arc::clone(&self.registry);
        let ran = self
            .app
            .run(caller, self.app.now(), move |ctx| work(&registry, ctx))
            .await;
        ran.unwrap_or_else(|error| {
            tracing::error!(%error, "a tool call stopped");
            let stopped = "the tool stopped unexpectedly; nothing more was done";
            (Outcome::Failed(stopped.to_string()), None)
        })
    }

    /// Reads what `work` reads as the person asking, on the blocking pool; an
    /// application error becomes the protocol's (a thing not found, or bad
    /// parameters), a failure an internal error.
    async fn read<T: Send + 'static>(
        &self,
        context: &RequestContext<RoleServer>,
        work: impl FnOnce(&Ctx) -> crate::app::Result<T> + Send + 'static,
    ) -> Result<T, ErrorData> {
        let caller = self.caller(context)?;
        match self.app.run(&caller, self.app.now(), work).await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(crate::app::Error::NotFound(why))) => Err(ErrorData::resource_not_found(why, None)),
            Ok(Err(crate::app::Error::Failed(error))) => {
                tracing::error!(error = format!("{error:#}"), "an MCP read failed");
                Err(ErrorData::internal_error("reading the store failed", None))
            }
            Ok(Err(error)) => Err(ErrorData::invalid_params(error.to_string(), None)),
            Err(error) => {
                tracing::error!(%error, "an MCP read stopped");
                Err(ErrorData::internal_error("the read stopped unexpectedly", None))
            }
        }
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_tools()
            .enable_resources()
            .enable_prompts()
            .build();
        ServerConfig::new(capabilities)
            .with_protocol_version(PROTOCOL)
            .with_server_info(Implementation::new("myorg", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "The person's todo.txt, calendar, projects, notes and files, kept in git: \
                 every change is one commit authored by them. Deleting, overwriting and \
                 undoing ask them to confirm first. The files are also resources \
                 (myorg://files/PATH, in pages), task lists a resource template \
                 (myorg://tasks?project=…&context=…), and the briefings prompts.",
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
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|tool| tool.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let caller = self.caller(&context)?;
        let name = request.name.to_string();
        tracing::info!(tool = %name, person = %caller.handle, "mcp tool call");
        let arguments = serde_json::Value::Object(request.arguments.unwrap_or_default());
        let called = name.clone();
        let (outcome, data) = self
            .run(&caller, move |registry, ctx| {
                registry.call_with_data(ctx, &called, &arguments)
            })
            .await;
        let result: CallToolResult = match outcome {
            Outcome::NeedsConfirmation(pending) => match confirm::ask(&context.peer, &pending).await {
                confirm::Answer::Yes => {
                    let (confirmed, _) = self
                        .run(&caller, move |registry, ctx| {
                            (registry.confirm(ctx, &pending), None)
                        })
                        .await;
                    tools::result(confirmed, None)
                }
                not_yes => tools::not_done(&not_yes.said(&pending.preview)),
            },
            outcome => tools::result(outcome, data),
        };
        Ok(result.into())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let files = self.read(&context, documents::list).await?;
        Ok(ListResourcesResult::with_all_items(resources::listed(files)))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(resources::templates()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri;
        let asked = resources::parse(&uri).map_err(|why| ErrorData::resource_not_found(why, None))?;
        let result = match asked {
            resources::Asked::Document { path, page } => {
                let read = self
                    .read(&context, move |ctx| documents::read(ctx, &path, page))
                    .await?;
                resources::document(&uri, read)
            }
            resources::Asked::Tasks { query, page } => {
                let listed = self
                    .read(&context, move |ctx| {
                        tasks::page(&ctx.look(), &query, page, documents::PAGE_LINES)
                    })
                    .await?;
                resources::tasks(&uri, &listed)
            }
        };
        Ok(result.into())
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        Ok(ListPromptsResult::with_all_items(prompts::listed()))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        let asked = prompts::asked(&request.name, request.arguments)
            .map_err(|why| ErrorData::invalid_params(why, None))?;
        let text = self
            .read(&context, move |ctx| {
                Ok(briefing::text(&briefing::briefing(&ctx.look(), &asked)?))
            })
            .await?;
        Ok(prompts::result(&request.name, &text).into())
    }
}
