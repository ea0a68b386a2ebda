// The member's wallet (any EIP-1193 provider: window.ethereum) through viem: connect, switch chain, sign (EIP-712)
// and, when the member prefers paying the fee, send transactions. It reads from the chain only what signing needs
// (EIP-712 domains, forwarder and governor nonces); everything shown comes from the API. The EIP-712 types come
// with the page's configuration (/web/config.json, from backend/chain/protocol.py).
import {
  createPublicClient, createWalletClient, custom, defineChain, encodeFunctionData, getAddress, keccak256,
  parseAbi, stringToHex, toHex, UserRejectedRequestError,
} from "viem";

import { t } from "./i18n.js";

export const ABI = {
  domain: parseAbi([
    "function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)",
  ]),
  stamps: parseAbi([
    "function claim(address member, uint256 stampId, uint256 nonce, uint256 deadline, bytes signature)",
    "function join()",
  ]),
  forwarder: parseAbi(["function nonces(address owner) view returns (uint256)"]),
  governor: parseAbi([
    "function castVote(uint256 proposalId, uint8 support) returns (uint256)",
    "function castVoteWithReason(uint256 proposalId, uint8 support, string reason) returns (uint256)",
    "function castVoteBySig(uint256 proposalId, uint8 support, address voter, bytes signature) returns (uint256)",
    "function castVoteWithReasonAndParamsBySig(uint256 proposalId, uint8 support, address voter, string reason, bytes params, bytes signature) returns (uint256)",
    "function nonces(address owner) view returns (uint256)",
  ]),
  benefits: parseAbi([
    "function redeem(uint256 benefitId)",
  ]),
  board: parseAbi([
    "function submit(string title, string uri, bytes32 contentHash) returns (uint256)",
    "function support(uint256 ideaId)",
  ]),
  shop: parseAbi(["function purchase(uint256 stampId, uint256 quantity) payable"]),
  drops: parseAbi([
    "function enter(uint256 dropId) payable",
    "function draw(uint256 dropId)",
    "function moveSeedBlock(uint256 dropId)",
    "function claim(uint256 dropId, address member)",
    "function refund(uint256 dropId, address member)",
  ]),
};

// Gas each member action may use when the relayer sends it through the forwarder (its cap is 1,000,000; a drop's
// calls have lower caps of their own, backend/relay/allowlist.py GAS_LIMITS).
const FORWARD_GAS = {
  join: 250000n, redeem: 200000n, submit: 600000n, support: 250000n, enter: 140000n, draw: 140000n, moveSeedBlock: 140000n,
};

// The one-struct EIP-712 types object viem signs `primaryType` with, from the configuration's types.
const typesOf = (config, primaryType) => ({ [primaryType]: config.types[primaryType] });

export class WalletProblem extends Error {}

export function friendlyWalletError(error) {
  const rejected = error instanceof UserRejectedRequestError || error?.code === 4001 || error?.cause?.code === 4001;
  if (rejected) return t("wallet.cancelled");
  return error?.shortMessage || error?.message || String(error);
}

export class Wallet {
  constructor(config) {
    this.config = config;
    this.account = null;
    this.chain = defineChain({
      id: config.chainId,
      name: config.chainName,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: config.rpcUrls } },
    });
    this.domains = {};
  }

  // Read at use: some wallets inject window.ethereum after the page has started.
  get provider() {
    return window.ethereum;
  }

  async connect() {
    if (!this.provider) throw new WalletProblem(t("wallet.install"));
    const accounts = await this.provider.request({ method: "eth_requestAccounts" });
    if (!accounts || !accounts.length) throw new WalletProblem(t("wallet.noAddress"));
    this.account = getAddress(accounts[0]);
    await this.ensureChain();
    this.client = createWalletClient({ account: this.account, chain: this.chain, transport: custom(this.provider) });
    this.reader = createPublicClient({ chain: this.chain, transport: custom(this.provider) });
    return this.account;
  }

  // Move the wallet to Odyssey's network (adding it first when the wallet doesn't know it).
  async ensureChain() {
    const current = Number(await this.provider.request({ method: "eth_chainId" }));
    if (current === this.config.chainId) return;
    const chainId = toHex(this.config.chainId);
    try {
      await this.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId }] });
    } catch (error) {
      if (error?.code !== 4902 || !this.config.rpcUrls.length) throw error;
      await this.provider.request({
        method: "wallet_addEthereumChain",
        params: [{ chainId, chainName: this.config.chainName, rpcUrls: this.config.rpcUrls,
          nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 } }],
      });
    }
    const now = Number(await this.provider.request({ method: "eth_chainId" }));
    if (now !== this.config.chainId) throw new WalletProblem(t("wallet.switchChain", { chain: this.config.chainName }));
  }

  address(name) {
    const address = this.config.contracts[name];
    if (!address) throw new WalletProblem(t("wallet.noContract", { name }));
    return address;
  }

  read(name, abi, functionName, args = []) {
    return this.reader.readContract({ address: this.address(name), abi, functionName, args });
  }

  async domain(name) {
    if (!this.domains[name]) {
      const [, domainName, version, chainId, verifyingContract] = await this.read(name, ABI.domain, "eip712Domain");
      this.domains[name] = { name: domainName, version, chainId: Number(chainId), verifyingContract };
    }
    return this.domains[name];
  }

  async send(to, data, value = 0n) {
    await this.ensureChain();
    const hash = await this.client.sendTransaction({ to, data, value });
    const receipt = await this.reader.waitForTransactionReceipt({ hash, pollingInterval: 700 });
    if (receipt.status !== "success") throw new WalletProblem(t("wallet.refused"));
    return Number(receipt.blockNumber);
  }

  // A member action on a contract that trusts the forwarder: signed as an ERC-2771 ForwardRequest for the relay,
  // or sent directly when `payGas`. Returns {relayed: txHash} or {block}.
  async memberAction(contract, abi, functionName, args, { payGas = false } = {}) {
    const to = this.address(contract);
    const data = encodeFunctionData({ abi, functionName, args });
    if (payGas) return { block: await this.send(to, data) };
    const nonce = await this.read("OdysseyForwarder", ABI.forwarder, "nonces", [this.account]);
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 3600);
    const message = { from: this.account, to, value: 0n, gas: FORWARD_GAS[functionName] ?? 300000n, nonce, deadline, data };
    const signature = await this.client.signTypedData({
      domain: await this.domain("OdysseyForwarder"), types: typesOf(this.config, "ForwardRequest"), primaryType: "ForwardRequest",
      message,
    });
    return {
      request: {
        from: this.account, to, value: "0", gas: message.gas.toString(), nonce: nonce.toString(),
        deadline: Number(deadline), data, signature,
      },
    };
  }

  // A call that carries ether (a purchase, a paid drop entry): the member's own transaction, never the relay's.
  // `quote()` asks the node what it would cost now (a pre-send check that needs the newest block: the gas price and
  // the call's estimate), `send()` sends it; both refuse, with the contract's reason, what the chain would refuse.
  paying(contract, abi, functionName, args, value) {
    const to = this.address(contract);
    const data = encodeFunctionData({ abi, functionName, args });
    return {
      quote: async () => {
        await this.ensureChain();
        const [gas, gasPrice] = await Promise.all([
          this.reader.estimateGas({ account: this.account, to, data, value }), this.reader.getGasPrice(),
        ]);
        return { value, fee: gas * gasPrice };
      },
      send: async () => ({ block: await this.send(to, data, value) }),
    };
  }

  // A call that names the member and pays out only to them (a drop's claim or refund): anyone may send it, so the
  // relay does, or the member with `payGas`.
  async direct(contract, abi, functionName, args, { payGas = false } = {}) {
    const to = this.address(contract);
    const data = encodeFunctionData({ abi, functionName, args });
    return payGas ? { block: await this.send(to, data) } : { call: { to, data } };
  }

  // A vote: a Ballot (or ExtendedBallot with a reason) signed for the governor's castVoteBySig, or castVote itself.
  async vote(proposalId, support, reason, { payGas = false } = {}) {
    const to = this.address("OdysseyGovernor");
    if (payGas) {
      const data = reason
        ? encodeFunctionData({ abi: ABI.governor, functionName: "castVoteWithReason", args: [proposalId, support, reason] })
        : encodeFunctionData({ abi: ABI.governor, functionName: "castVote", args: [proposalId, support] });
      return { block: await this.send(to, data) };
    }
    const nonce = await this.read("OdysseyGovernor", ABI.governor, "nonces", [this.account]);
    const domain = await this.domain("OdysseyGovernor");
    const ballot = { proposalId, support, voter: this.account, nonce };
    let data;
    if (reason) {
      const signature = await this.client.signTypedData({
        domain, types: typesOf(this.config, "ExtendedBallot"), primaryType: "ExtendedBallot",
        message: { ...ballot, reason, params: "0x" },
      });
      data = encodeFunctionData({
        abi: ABI.governor, functionName: "castVoteWithReasonAndParamsBySig",
        args: [proposalId, support, this.account, reason, "0x", signature],
      });
    } else {
      const signature = await this.client.signTypedData({ domain, types: typesOf(this.config, "Ballot"), primaryType: "Ballot", message: ballot });
      data = encodeFunctionData({ abi: ABI.governor, functionName: "castVoteBySig", args: [proposalId, support, this.account, signature] });
    }
    return { call: { to, data } };
  }

  // Send a claim voucher from the member's own wallet, paying the fee (the relay needs no signature from them).
  async claimPayingFee(voucher) {
    const data = encodeFunctionData({
      abi: ABI.stamps, functionName: "claim",
      args: [voucher.member, voucher.stampId, voucher.nonce, voucher.deadline, voucher.signature],
    });
    return { block: await this.send(this.address("OdysseyStamps"), data) };
  }
}

// An idea's text rides on-chain as a data: URI, with its hash so anyone can check it was not changed.
export function ideaContent(text) {
  const body = text || "";
  return { uri: `data:text/plain;charset=utf-8,${encodeURIComponent(body)}`, contentHash: keccak256(stringToHex(body)) };
}
