//! Calls to the billing service.

use reqwest::Client;

pub async fn charge(base: &str, order_id: u64) -> Result<(), reqwest::Error> {
    let client = Client::new();
    client
        .post(format!("{base}/charges"))
        .json(&serde_json::json!({ "order": order_id }))
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}
