import { useState } from 'react';
import {
  LineChart,
  Line,
  BarChart,
  Bar,
  PieChart,
  Pie,
  Cell,
  XAxis,
  YAxis,
  CartesianGrid,
  Tooltip,
  Legend,
  ResponsiveContainer,
} from 'recharts';
import {
  TrendingUp,
  TrendingDown,
  Users,
  DollarSign,
  ShoppingCart,
  Activity,
  Calendar,
  RefreshCw,
} from 'lucide-react';

type Range = '7d' | '30d';

interface DailyPoint {
  day: string;
  revenue: number;
  orders: number;
  visitors: number;
}

interface ChannelShare {
  name: string;
  value: number;
}

interface Order {
  id: string;
  customer: string;
  product: string;
  amount: number;
  status: 'paid' | 'pending' | 'refunded';
}

interface StatCardProps {
  title: string;
  value: string;
  change: number;
  icon: React.ReactNode;
  testId: string;
}

const CHANNEL_COLORS: string[] = ['#6366f1', '#22c55e', '#f59e0b', '#ef4444'];

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

// Deterministic pseudo-random numbers, so the dashboard looks the same on every load.
function seeded(seed: number): () => number {
  let state = seed % 2147483647;
  if (state <= 0) state += 2147483646;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

function makeSeries(days: number, seed: number): DailyPoint[] {
  const random = seeded(seed);
  const points: DailyPoint[] = [];
  for (let i = 0; i < days; i++) {
    const weekday = WEEKDAYS[i % WEEKDAYS.length];
    const weekend = weekday === 'Sat' || weekday === 'Sun';
    const visitors = Math.round((weekend ? 900 : 1400) + random() * 600 + i * 12);
    const orders = Math.round(visitors * (0.03 + random() * 0.02));
    points.push({
      day: days <= 7 ? weekday : `Day ${i + 1}`,
      revenue: Math.round(orders * (38 + random() * 24)),
      orders,
      visitors,
    });
  }
  return points;
}

const SERIES: Record<Range, DailyPoint[]> = {
  '7d': makeSeries(7, 42),
  '30d': makeSeries(30, 7),
};

const CHANNELS: Record<Range, ChannelShare[]> = {
  '7d': [
    { name: 'Organic', value: 46 },
    { name: 'Paid search', value: 27 },
    { name: 'Email', value: 17 },
    { name: 'Social', value: 10 },
  ],
  '30d': [
    { name: 'Organic', value: 41 },
    { name: 'Paid search', value: 31 },
    { name: 'Email', value: 15 },
    { name: 'Social', value: 13 },
  ],
};

const RECENT_ORDERS: Order[] = [
  { id: 'A-1042', customer: 'Mara Lindqvist', product: 'Standing desk', amount: 489, status: 'paid' },
  { id: 'A-1041', customer: 'Tomás Ortega', product: 'Monitor arm', amount: 129, status: 'pending' },
  { id: 'A-1040', customer: 'Aiko Tanaka', product: 'Desk lamp', amount: 64, status: 'paid' },
  { id: 'A-1039', customer: 'Jonas Weber', product: 'Ergonomic chair', amount: 712, status: 'refunded' },
  { id: 'A-1038', customer: 'Priya Natarajan', product: 'Cable tray', amount: 35, status: 'paid' },
];

const currency = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});

const integer = new Intl.NumberFormat('en-US');

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}

function percentChange(points: DailyPoint[], pick: (p: DailyPoint) => number): number {
  const half = Math.floor(points.length / 2);
  const before = sum(points.slice(0, half), pick);
  const after = sum(points.slice(points.length - half), pick);
  if (before === 0) return 0;
  return Math.round(((after - before) / before) * 1000) / 10;
}

function StatCard({ title, value, change, icon, testId }: StatCardProps) {
  const positive = change >= 0;
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <div className="flex items-center justify-between">
        <span className="text-sm font-medium text-slate-500">{title}</span>
        <span className="rounded-lg bg-indigo-50 p-2 text-indigo-600">{icon}</span>
      </div>
      <div className="mt-3 text-2xl font-semibold text-slate-900">{value}</div>
      <div
        className={`mt-1 flex items-center gap-1 text-xs font-medium ${
          positive ? 'text-emerald-600' : 'text-rose-600'
        }`}
      >
        {positive ? <TrendingUp size={14} /> : <TrendingDown size={14} />}
        <span>
          {positive ? '+' : ''}
          {change}% vs. first half
        </span>
      </div>
    </div>
  );
}

function StatusBadge({ status }: { status: Order['status'] }) {
  const styles: Record<Order['status'], string> = {
    paid: 'bg-emerald-50 text-emerald-700',
    pending: 'bg-amber-50 text-amber-700',
    refunded: 'bg-rose-50 text-rose-700',
  };
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium capitalize ${styles[status]}`}>{status}</span>
  );
}

function ChartCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="mb-3 text-sm font-semibold text-slate-700">{title}</h2>
      <div className="h-64">{children}</div>
    </section>
  );
}

export default function Dashboard() {
  const [range, setRange] = useState<Range>('7d');
  const [refreshes, setRefreshes] = useState<number>(0);

  const series = SERIES[range];
  const channels = CHANNELS[range];
  const days = series.length;
  const revenue = sum(series, (p) => p.revenue);
  const orders = sum(series, (p) => p.orders);
  const visitors = sum(series, (p) => p.visitors);
  const conversion = visitors === 0 ? 0 : Math.round((orders / visitors) * 1000) / 10;

  const toggleRange = (): void => {
    setRange((current) => (current === '7d' ? '30d' : '7d'));
  };

  return (
    <div className="min-h-screen bg-slate-50 p-6 font-sans text-slate-900">
      <header className="mb-6 flex flex-wrap items-center justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold" data-testid="dashboard-heading">
            Store overview · last {days} days
          </h1>
          <p className="text-sm text-slate-500">
            <span data-testid="day-count">{days}</span> days of data ·{' '}
            <span data-testid="refresh-count">{refreshes}</span> refreshes
          </p>
        </div>
        <div className="flex items-center gap-2">
          <button
            type="button"
            data-testid="range-toggle"
            onClick={toggleRange}
            className="flex items-center gap-2 rounded-lg bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500"
          >
            <Calendar size={16} />
            {range === '7d' ? 'Show 30 days' : 'Show 7 days'}
          </button>
          <button
            type="button"
            data-testid="refresh"
            onClick={() => setRefreshes((n) => n + 1)}
            className="flex items-center gap-2 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100"
            aria-label="Refresh"
          >
            <RefreshCw size={16} />
          </button>
        </div>
      </header>

      <div className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard
          title="Revenue"
          value={currency.format(revenue)}
          change={percentChange(series, (p) => p.revenue)}
          icon={<DollarSign size={18} />}
          testId="stat-revenue"
        />
        <StatCard
          title="Orders"
          value={integer.format(orders)}
          change={percentChange(series, (p) => p.orders)}
          icon={<ShoppingCart size={18} />}
          testId="stat-orders"
        />
        <StatCard
          title="Visitors"
          value={integer.format(visitors)}
          change={percentChange(series, (p) => p.visitors)}
          icon={<Users size={18} />}
          testId="stat-visitors"
        />
        <StatCard
          title="Conversion"
          value={`${conversion}%`}
          change={Math.round((conversion - 3.5) * 10) / 10}
          icon={<Activity size={18} />}
          testId="stat-conversion"
        />
      </div>

      <div className="mb-6 grid grid-cols-1 gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ChartCard title="Revenue and orders">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={series} margin={{ top: 5, right: 16, left: 0, bottom: 5 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="day" tick={{ fontSize: 12 }} />
                <YAxis yAxisId="left" tick={{ fontSize: 12 }} />
                <YAxis yAxisId="right" orientation="right" tick={{ fontSize: 12 }} />
                <Tooltip formatter={(value: number, name: string) => (name === 'revenue' ? currency.format(value) : value)} />
                <Legend />
                <Line yAxisId="left" type="monotone" dataKey="revenue" stroke="#6366f1" strokeWidth={2} dot={false} />
                <Line yAxisId="right" type="monotone" dataKey="orders" stroke="#22c55e" strokeWidth={2} dot={false} />
              </LineChart>
            </ResponsiveContainer>
          </ChartCard>
        </div>
        <ChartCard title="Traffic by channel">
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie data={channels} dataKey="value" nameKey="name" innerRadius={50} outerRadius={80} paddingAngle={2}>
                {channels.map((entry, index) => (
                  <Cell key={entry.name} fill={CHANNEL_COLORS[index % CHANNEL_COLORS.length]} />
                ))}
              </Pie>
              <Tooltip formatter={(value: number) => `${value}%`} />
              <Legend />
            </PieChart>
          </ResponsiveContainer>
        </ChartCard>
      </div>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
        <ChartCard title="Visitors per day">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={series}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="day" tick={{ fontSize: 12 }} />
              <YAxis tick={{ fontSize: 12 }} />
              <Tooltip />
              <Legend />
              <Bar dataKey="visitors" fill="#f59e0b" radius={[4, 4, 0, 0]} />
            </BarChart>
          </ResponsiveContainer>
        </ChartCard>
        <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm lg:col-span-2">
          <h2 className="mb-3 text-sm font-semibold text-slate-700">Recent orders</h2>
          <table className="w-full text-left text-sm" data-testid="orders-table">
            <thead>
              <tr className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <th className="py-2">Order</th>
                <th className="py-2">Customer</th>
                <th className="py-2">Product</th>
                <th className="py-2 text-right">Amount</th>
                <th className="py-2 text-right">Status</th>
              </tr>
            </thead>
            <tbody>
              {RECENT_ORDERS.map((order: Order) => (
                <tr key={order.id} className="border-b border-slate-100 last:border-0">
                  <td className="py-2 font-mono text-xs">{order.id}</td>
                  <td className="py-2">{order.customer}</td>
                  <td className="py-2 text-slate-600">{order.product}</td>
                  <td className="py-2 text-right">{currency.format(order.amount)}</td>
                  <td className="py-2 text-right">
                    <StatusBadge status={order.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </div>
  );
}
