// The staff companies list's query string: sort column and direction.
import { isCompanySort, type CompanySort } from './insights';

export function companyOverviewFilters(url: URL): { sort: CompanySort; direction: 'asc' | 'desc' } {
	const param = url.searchParams.get('sort');
	const sort: CompanySort = isCompanySort(param) ? param : 'value';
	const dir = url.searchParams.get('dir');
	const direction = dir === 'asc' || dir === 'desc' ? dir : sort === 'name' ? 'asc' : 'desc';
	return { sort, direction };
}
