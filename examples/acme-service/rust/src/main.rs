//! ACME's orders service.

mod billing;
mod domain;
mod infra;

use std::env;

#[tokio::main]
async fn main() {
    let port = env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let billing_url = std::env::var("BILLING_URL").expect("BILLING_URL is set");
    println!("orders listening on :{port}");
    if let Err(e) = billing::charge(&billing_url, 42).await {
        eprintln!("charge failed: {e}");
    }
}
