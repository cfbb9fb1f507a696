package dev.gpuproxy.server.identity.account.service;

/**
 * A new account was stored. Fired synchronously inside the creating transaction, so what observers write (the credit
 * feature opens the wallet) commits or rolls back with the account.
 */
public record AccountCreated(long userId) {}
