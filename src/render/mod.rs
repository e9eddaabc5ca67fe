pub mod opendata;
