import { checkWebhookUrl, isForbiddenAddress } from './webhook-destination';

describe('webhook destinations', () => {
  it.each([
    '169.254.169.254',
    '169.254.0.1',
    '::ffff:169.254.169.254',
    'fe80::1',
    'fd00:ec2::254',
    '100.100.100.200',
    '0.0.0.0',
    '::',
  ])('given %s, then it is a forbidden address', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['127.0.0.1', '10.1.2.3', '93.184.216.34', '::1', '2001:db8::1'])(
    'given %s, then it is not forbidden (allowed hosts decide)',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );

  it('given a host on the list (with or without port), then the URL is accepted', () => {
    expect(checkWebhookUrl('https://hooks.example.com/x', ['hooks.example.com']).host).toBe(
      'hooks.example.com',
    );
    expect(checkWebhookUrl('http://127.0.0.1:9000/x', ['127.0.0.1:9000']).port).toBe('9000');
    expect(checkWebhookUrl('https://hooks.example.com/x', ['hooks.example.com:443']).host).toBe(
      'hooks.example.com',
    );
  });

  it.each([
    ['http://other.example.com/', ['hooks.example.com'], /not in WEBHOOK_ALLOWED_HOSTS/],
    ['http://127.0.0.1:9001/', ['127.0.0.1:9000'], /not in WEBHOOK_ALLOWED_HOSTS/],
    ['http://169.254.169.254/', ['169.254.169.254'], /link-local or metadata/],
    ['ftp://hooks.example.com/', ['hooks.example.com'], /http or https/],
    ['http://u:p@hooks.example.com/', ['hooks.example.com'], /credentials/],
    ['not a url', ['hooks.example.com'], /absolute/],
    ['http://hooks.example.com/', [], /WEBHOOK_ALLOWED_HOSTS is empty/],
  ])('given %s, then it is refused naming the url field', (url, hosts, message) => {
    expect(() => checkWebhookUrl(url, hosts)).toThrow(message);
  });
});
