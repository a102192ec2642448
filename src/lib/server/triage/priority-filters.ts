// The priorities view's query string: product, status category, sort column and direction.
import {
	isPrioritySort,
	isStatusCategory,
	type PriorityFilters,
	type PrioritySort
} from './priorities';

export function priorityFilters(
	url: URL
): Required<Pick<PriorityFilters, 'sort' | 'direction'>> &
	Pick<PriorityFilters, 'product' | 'category'> {
	const sortParam = url.searchParams.get('sort');
	const sort: PrioritySort = isPrioritySort(sortParam) ? sortParam : 'demand';
	const dirParam = url.searchParams.get('dir');
	const direction =
		dirParam === 'asc' || dirParam === 'desc' ? dirParam : sort === 'title' ? 'asc' : 'desc';
	const product = url.searchParams.get('product')?.trim();
	const category = url.searchParams.get('category');
	return {
		sort,
		direction,
		product: product && /^[a-z0-9-]{1,80}$/.test(product) ? product : null,
		category: isStatusCategory(category) ? category : null
	};
}
