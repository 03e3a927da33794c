//! Fetch a price from the pricing service.
use std::env;

pub async fn price(sku: &str) -> Result<f64, reqwest::Error> {
    let base = env::var("PRICING_URL").unwrap_or_default();
    println!("fetching price for {sku}");
    let body: serde_json::Value = reqwest::get(format!("{base}/price/{sku}"))
        .await?
        .json()
        .await?;
    Ok(body["price"].as_f64().unwrap_or(0.0))
}
